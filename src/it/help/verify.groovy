// The descriptions as a console shows them: nothing swallowed as an HTML tag by help:describe (which reads the
// descriptor's text as HTML), prefix required with mode rename only, the link-name and mode parameters listed.
def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
def builds = its.builds(new File(basedir, 'build.log'))
assert builds.size() == 2 && builds.every { it.contains('BUILD SUCCESS') } : builds
// Lines joined: both tools wrap at 80 columns, and where they wrap depends on the indentation.
def flat = { String b -> b.readLines().findAll { !it.startsWith('[') }*.trim().join(' ') }
def help = flat(builds[0]), describe = flat(builds[1])

for (text in [help, describe]) {
    assert text.contains('This plugin has 3 goals:')
    assert text.contains('places them under native/{platform}/ in the classes directory')
    assert text.contains('Attach {finalName}-{platform}.jar (classifier linux-x86_64, ...) holding native/{platform}/.')
    assert text.contains('JSON in target/isolate/inspect-{platform}.json.')
    assert text.contains('one linkName element each, whose from is a member\'s SONAME or file name and to the link name.')
    assert !text.contains('native//') && !text.contains('Attach -') && !text.contains('inspect-.json')
}
// The prefix is required with mode rename only (options() says so when missing); each tool in its own words.
assert help.contains('prefix Prefix of every renamed symbol and SONAME, a C identifier prefix such as acme_. Required with mode rename. User property: isolate.prefix')
assert describe.contains('prefix User property: isolate.prefix Prefix of every renamed symbol and SONAME, a C identifier prefix such as acme_. Required with mode rename.')
assert help.contains('mode (Default: rename) How the bundle is kept apart from other copies of its libraries: rename (default) renames')
assert describe.contains('mode (Default: rename) User property: isolate.mode How the bundle is kept apart from other copies of its libraries:')
return true
