// Runs each module's jar in a fresh JVM (which has the system zlib loaded) and checks which zlib the glue reached.
def java = new File(System.getProperty('java.home'), 'bin/java').path
def loader = new File(localRepositoryPath, "dev/isolate/isolate-loader/${projectVersion}/isolate-loader-${projectVersion}.jar")
assert loader.isFile() : "missing ${loader}"
def cache = new File(basedir, 'target/native-cache')
def run = { String module, List<String> args ->
    def jar = new File(basedir, "${module}/target/${module}-1.0.jar")
    assert jar.isFile() : "missing ${jar}"
    def p = ([java, "-Disolate.native.dir=${cache}", '-cp', jar.path + ':' + loader.path, 'dev.isolate.it.ZlibGlue'] + args).execute()
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    assert p.exitValue() == 0 : "${module}: exit ${p.exitValue()}\n${out}\n${err}"
    println "${module}: ${out}"
    return out.toString().readLines()
}
def bundled = '1.2.3-bundled-by-isolate'

// The isolated jar loads through the isolate loader (extracts native/linux-x86_64/ in index order).
def isolated = run('isolated', [])
assert isolated.contains("version ${bundled}".toString()) : "the isolated glue must reach its bundled zlib: ${isolated}"
def crc = isolated.find { it.startsWith('crc ') }.split(' ')
assert crc[1] == crc[2] : "crc32 of the bundled copy vs java.util.zip: ${crc}"
assert isolated.contains('zip ok')
assert isolated.contains('loaded 2 libraries') : "the loader loaded the zlib and the glue: ${isolated}"

// The control loads its two libraries as built, the bundled zlib first, by path.
def control = run('control', ['--files', new File(basedir, 'control/target/native').path])
def v = control.find { it.startsWith('version ') }
assert v != "version ${bundled}".toString() && v ==~ /version 1\.\d+\.\d+.*/ : "the control glue must reach the system zlib (the clash): ${control}"
assert control.contains('zip ok')

// What the plugin put in the jar: the prefixed zlib, the glue under its own name, the index.
def names = new java.util.zip.ZipFile(new File(basedir, 'isolated/target/isolated-1.0.jar')).entries().collect { it.name }
assert names.containsAll(['native/linux-x86_64/libitacme_z.so.1', 'native/linux-x86_64/libzglue.so', 'native/linux-x86_64/isolate.index'])
def index = new File(basedir, 'isolated/target/classes/native/linux-x86_64/isolate.index').readLines().findAll { !it.startsWith('#') }
assert index.collect { it.split('\t')[0] } == ['libitacme_z.so.1', 'libzglue.so'] : "load order: ${index}"
assert index[1].split('\t')[5] == 'libitacme_z.so.1' : "the glue needs the isolated zlib: ${index}"
return true
