#%Module1.0
## Astra ${project.version}: Luigi-style pipelines for the JVM (Environment Modules and Lmod).
##
## Install: unpack astra-${project.version}.tar.gz under a prefix, e.g. /opt/astra, and put this file
## in a directory on MODULEPATH as astra/${project.version}, e.g.
##   tar xzf astra-${project.version}.tar.gz -C /opt/astra
##   mkdir -p /opt/modulefiles/astra && cp /opt/astra/astra-${project.version}/share/modulefiles/astra/${project.version} /opt/modulefiles/astra/
## Users then type: module load astra
## Left where it is (share/modulefiles inside the release), it finds the release by its own path;
## copied elsewhere, set root below.

set version ${project.version}
set root [file dirname [file dirname [file dirname [file dirname [file normalize $ModulesCurrentModulefile]]]]]
if {![file exists $root/bin/astra]} {
    set root /opt/astra/astra-$version
}

proc ModulesHelp { } {
    puts stderr "Astra ${project.version}: runs pipelines of tasks written as Java classes (needs Java 17+)."
    puts stderr "  astra --help, and the README in the release; tab completion in bash:"
    puts stderr "  source \$ASTRA_HOME/share/bash-completion/completions/astra"
}
module-whatis "Astra ${project.version}: Luigi-style task pipelines for the JVM"

conflict astra
prepend-path PATH $root/bin
setenv ASTRA_HOME $root
