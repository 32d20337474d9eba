// docs/maven-plugin.md's complete JNI project: the page's pom is this IT's (the version and the C sources' directory
// aside), `mvn package` builds a jar that loads its bundled zlib, and the page's inspect command works on it.
def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
def docs = new File(itDocs, 'maven-plugin.md').text
def section = docs.substring(docs.indexOf('## A JNI project, complete'))
def documented = (section =~ /(?s)```xml\n(.*?)```/)[0][1]
        .replace('<version>0.1.0-SNAPSHOT</version>', "<version>${projectVersion}</version>")
        .replace('<native.src>${project.basedir}/src/main/c</native.src>', '<native.src>${isolate.it.csrc}</native.src>')
assert new File(basedir, 'pom.xml').text == documented : 'docs/maven-plugin.md and src/it/documented-pom/pom.xml differ'
assert docs.contains("`mvn dev.isolate:isolate-maven-plugin:${projectVersion}:inspect`")

def builds = its.builds(new File(basedir, 'build.log'))
assert builds.size() == 2 : "two builds in build.log, found ${builds.size()}"
builds.eachWithIndex { b, i -> assert b.contains('BUILD SUCCESS') : "build ${i + 1} failed:\n${b}" }

// 1: package. The jar loads the glue and its bundled zlib, not the JVM's.
def jar = new File(basedir, 'target/acme-zlib-1.0.jar')
def loader = new File(localRepositoryPath, "dev/isolate/isolate-loader/${projectVersion}/isolate-loader-${projectVersion}.jar")
def java = new File(System.getProperty('java.home'), 'bin/java').path
def out = its.sh([java, "-Disolate.native.dir=${new File(basedir, 'target/native-cache')}", '-cp', "${jar}:${loader}",
        'com.acme.ZlibGlue'])
assert out.readLines() == ['version 1.2.3-bundled-by-isolate'] : out
assert its.entries(jar).findAll { it.startsWith('native/') } == ['native/', 'native/linux-x86_64/',
        'native/linux-x86_64/isolate.index', 'native/linux-x86_64/libacme_z.so.1', 'native/linux-x86_64/libzglue.so']

// 2: `mvn dev.isolate:isolate-maven-plugin:VERSION:inspect` sees the plugin's configuration: one line per library.
def lines = builds[1].readLines().findAll { it.startsWith('[INFO] isolate inspect') }
assert lines.size() == 3 : lines.join('\n')
assert lines[0] ==~ /\[INFO\] isolate inspect linux-x86_64: libz\.so\.1: SONAME libz\.so\.1 -> libacme_z\.so\.1, \d+ renamed, \d+ kept, \d+ imports follow/
assert lines[1] ==~ /\[INFO\] isolate inspect linux-x86_64: libzglue\.so: keeps its names \(libzglue\.so\), \d+ renamed, \d+ kept, \d+ imports follow/
def json = new File(basedir, 'target/isolate/inspect-linux-x86_64.json')
assert lines[2] == "[INFO] isolate inspect: report ${json.path}".toString()
return true
