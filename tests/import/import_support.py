# Shared by the import tests: Debian's libseccomp bindings (or the skip
# line scripts/test collects), and where the source and the build are.
import os, sys

def seccomp_or_skip():
    try:
        import seccomp
    except ImportError:
        print("SKIP: python3-seccomp is not installed (Debian package python3-seccomp)")
        sys.exit(77)
    return seccomp

def dirs():
    """(source dir, build dir, the built sealrun) from argv."""
    src, build = sys.argv[1], sys.argv[2]
    return src, build, os.path.join(build, "launcher", "sealrun")
