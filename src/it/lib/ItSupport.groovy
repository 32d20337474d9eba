// Helpers shared by the verify.groovy scripts; they load this file through the script variable itSupport:
//   def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
import java.util.zip.ZipFile

class ItSupport {
    /** Runs a command, fails unless it exits 0, returns what it printed on stdout. */
    static String sh(List<String> cmd) {
        def p = cmd.execute()
        def out = new StringBuilder(), err = new StringBuilder()
        p.waitForProcessOutput(out, err)
        assert p.exitValue() == 0 : "${cmd.join(' ')}: exit ${p.exitValue()}\n${out}\n${err}"
        return out.toString()
    }

    /** The entry names of a jar or zip, in order. */
    static List<String> entries(File zip) {
        new ZipFile(zip).withCloseable { z -> z.entries().collect { it.name } }
    }

    /** build.log split into the invoker's invocations (it appends them all; each starts by scanning for projects). */
    static List<String> builds(File buildLog) {
        buildLog.text.split(/(?m)^.*\[INFO\] Scanning for projects\.\.\.$/).findAll { it.contains('BUILD') }
    }

    /** Fails if the log shows a stack trace: a user must see one line, ours or Maven's. */
    static void assertNoStackTrace(String log) {
        assert !log.contains('at dev.isolate')
        assert !log.readLines().any { it ==~ /\s+at [\w.$]+\(.*\)/ || it.startsWith('Caused by:') } : "a stack trace in the log:\n${log}"
    }
}
