package dev.isolate.engine.consumer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sorts names by their bytes (one char per byte, so {@link String#compareTo} order) with a three-way
 * radix quicksort (Bentley and Sedgewick, "Fast algorithms for sorting and searching strings", 1997):
 * each char is looked at about once per name however long the prefix the names share. libLLVM's 44k
 * C++ names mostly begin {@code _ZN4llvm} and run on alike for dozens of bytes, so a comparison sort
 * spent most of the header's time comparing the same prefixes again. No recursion: ranges wait on an
 * explicit stack, so names crafted to defeat the pivot cost time, never the thread's stack.
 */
final class NameSort {
    private NameSort() {}

    /** Ranges this short are finished by insertion with {@link String#compareTo} (vectorized in the JDK). */
    private static final int SMALL = 12;

    /** The names in byte order, each once. */
    static List<String> sortedUnique(List<String> names) {
        String[] a = names.toArray(new String[0]);
        sort(a);
        List<String> out = new ArrayList<>(a.length);
        for (int i = 0; i < a.length; i++) {
            if (i == 0 || !a[i].equals(a[i - 1])) {
                out.add(a[i]);
            }
        }
        return out;
    }

    static void sort(String[] a) {
        int[] stack = new int[96]; // triples (lo, hi, depth), hi inclusive
        int top = 0;
        stack[top++] = 0;
        stack[top++] = a.length - 1;
        stack[top++] = 0;
        while (top > 0) {
            int d = stack[--top];
            int hi = stack[--top];
            int lo = stack[--top];
            if (hi - lo < SMALL) {
                insertion(a, lo, hi);
                continue;
            }
            swap(a, lo, lo + (hi - lo) / 2); // the middle as pivot: already sorted input stays cheap
            int v = at(a[lo], d);
            int lt = lo;
            int gt = hi;
            for (int i = lo + 1; i <= gt; ) {
                int c = at(a[i], d);
                if (c < v) {
                    swap(a, lt++, i++);
                } else if (c > v) {
                    swap(a, i, gt--);
                } else {
                    i++;
                }
            }
            if (top + 9 > stack.length) {
                stack = Arrays.copyOf(stack, stack.length * 2);
            }
            top = push(stack, top, lo, lt - 1, d);
            if (v >= 0) { // names that end here are all equal: nothing more to compare
                top = push(stack, top, lt, gt, d + 1);
            }
            top = push(stack, top, gt + 1, hi, d);
        }
    }

    private static int push(int[] stack, int top, int lo, int hi, int d) {
        if (lo < hi) {
            stack[top++] = lo;
            stack[top++] = hi;
            stack[top++] = d;
        }
        return top;
    }

    /** The char at {@code d}, or -1 past the end (a name sorts before every longer name it begins). */
    private static int at(String s, int d) {
        return d < s.length() ? s.charAt(d) : -1;
    }

    private static void insertion(String[] a, int lo, int hi) {
        for (int i = lo + 1; i <= hi; i++) {
            String s = a[i];
            int j = i - 1;
            while (j >= lo && a[j].compareTo(s) > 0) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = s;
        }
    }

    private static void swap(String[] a, int i, int j) {
        String t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
