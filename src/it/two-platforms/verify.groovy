// Both platforms from one execution, each identified from its ELF header.
def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
def classes = new File(basedir, 'target/classes/native')
assert classes.list().sort() == ['linux-aarch_64', 'linux-x86_64'] : "platform folders: ${classes.list()}"

def machines = ['linux-x86_64': 'Advanced Micro Devices X86-64', 'linux-aarch_64': 'AArch64']
machines.each { platform, machine ->
    def lib = new File(classes, "${platform}/libitarm_z.so.1")
    assert lib.isFile() : "missing ${lib}"
    def header = its.sh(['readelf', '-h', lib.path])
    assert header.contains("Machine:                           ${machine}") : "${platform}: ${header}"
    def dyn = its.sh(['readelf', '-dW', lib.path])
    assert dyn.contains('Library soname: [libitarm_z.so.1]') : dyn
    def syms = its.sh(['readelf', '-W', '--dyn-syms', lib.path])
    assert syms.contains('itarm_zlibVersion@@ZLIB_1.2.0') && !(syms =~ /\szlibVersion@/) : syms
    def index = new File(classes, "${platform}/isolate.index").readLines().findAll { !it.startsWith('#') }
    assert index.size() == 1 && index[0].startsWith('libitarm_z.so.1\t') : index

    def jar = new File(basedir, "target/two-platforms-1.0-${platform}.jar")
    assert its.entries(jar) == ['META-INF/', 'META-INF/MANIFEST.MF', 'native/', "native/${platform}/".toString(),
            "native/${platform}/isolate.index".toString(), "native/${platform}/libitarm_z.so.1".toString()] : its.entries(jar)
}

// aarch64 kernels may use 64 KiB pages: every PT_LOAD of the aarch64 output is aligned for them.
def loads = its.sh(['readelf', '-lW', new File(classes, 'linux-aarch_64/libitarm_z.so.1').path]).readLines().findAll { it.trim().startsWith('LOAD') }
assert loads.size() >= 3 && loads.every { it.trim().split(/\s+/)[-1] == '0x10000' } : "aarch64 PT_LOAD alignment: ${loads}"

def log = new File(basedir, 'build.log').text
assert log.contains('attached linux-x86_64 jar') && log.contains('attached linux-aarch_64 jar') : 'both classifier jars attached'
return true
