// One failure, listing every bad parameter by its POM element, and no stack trace.
def log = new File(basedir, 'build.log').text
def lines = log.readLines()
assert lines.count { it.contains('BUILD FAILURE') } == 1
def at = lines.findIndexOf { it.startsWith('[ERROR] Failed to execute goal dev.isolate:isolate-maven-plugin:') }
assert at >= 0 : log
assert lines[at].endsWith(' on project config-errors: isolate: 5 configuration problem(s):')
def categories = '[object-symbol, tls-symbol, ifunc-symbol, versioned-symbol, weak-override, libc-definition, unbundled-dependency]'
assert lines.subList(at + 1, at + 7) == [
        "[ERROR]   - <prefix> '9bad-' must be a C identifier prefix ([A-Za-z_][A-Za-z0-9_]*), e.g. acme_",
        "[ERROR]   - <allow> 'nonsense' is not a warning category; use one of ${categories}".toString(),
        '[ERROR]   - <sonames><soname> needs both <from> (a member\'s SONAME or file name) and <to>',
        "[ERROR]   - <linkNames><linkName><to> '-lz' must be a link name ([A-Za-z0-9_+][A-Za-z0-9_.+-]*), e.g. acmez for -lacmez",
        '[ERROR]   - <fileSets><fileSet> #1 needs a <directory>',
        '[ERROR] -> [Help 1]']
new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport)).assertNoStackTrace(log)
assert !new File(basedir, 'target/classes/native').exists() && !new File(basedir, 'target/isolate').exists()
return true
