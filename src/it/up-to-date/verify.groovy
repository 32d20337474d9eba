// IT 4: the isolate lines of each of the four builds, in order.
def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
def builds = its.builds(new File(basedir, 'build.log'))
assert builds.size() == 4 : "four builds in build.log, found ${builds.size()}"
builds.eachWithIndex { b, i -> assert b.contains('BUILD SUCCESS') : "build ${i + 1} failed:\n${b}" }
def isolateLines = { String b -> b.readLines().findAll { it.startsWith('[INFO] isolate: ') } }
def jarName = 'up-to-date-1.0-linux-x86_64.jar'
def attached = "[INFO] isolate: attached linux-x86_64 jar ${jarName}".toString()

// 1: the work, then the attachment.
assert isolateLines(builds[0]) == [
        '[INFO] isolate: linux-x86_64: 1 library isolated with prefix itutd_ -> ' + new File(basedir, 'target/classes/native/linux-x86_64').path,
        attached]

// 2: one line saying it is up to date, no ELF work; the jar is still attached, so install installs it.
def second = isolateLines(builds[1])
assert second.size() == 2 && second[1] == attached : second.join('\n')
assert second[0] ==~ /\[INFO\] isolate: up to date \(1 library unchanged, fingerprint [0-9a-f]{12}\), no ELF work done/ : second[0]
def repoJar = new File(localRepositoryPath, "dev/isolate/it/up-to-date/1.0/${jarName}")
assert builds[1].contains("Installing ${new File(basedir, 'target/' + jarName).path} to ${repoJar.path}")
assert repoJar.isFile()

// 3: an output changed behind the plugin's back is not trusted: isolated again.
assert isolateLines(builds[2])[0].startsWith('[INFO] isolate: linux-x86_64: 1 library isolated with prefix itutd_ ')
assert !builds[2].contains('up to date')

// 4: another prefix is another configuration: isolated again, and the old library is gone.
assert isolateLines(builds[3])[0].startsWith('[INFO] isolate: linux-x86_64: 1 library isolated with prefix itutd2_ ')
def dir = new File(basedir, 'target/classes/native/linux-x86_64')
assert dir.list().sort() == ['isolate.index', 'libitutd2_z.so.1']
def jar = new File(basedir, "target/${jarName}")
assert its.entries(jar).findAll { it.endsWith('.so.1') } ==
        ['native/linux-x86_64/libitutd2_z.so.1']
return true
