"""The facts contract: the pure records checks read, gathered before any check runs.

    files.FileIndex, files.FileEntry   an image's final file tree (lookups, no I/O)
    image.ImageFacts, image.ImageProblem, image.ImageResult   what the registry said of an image
    scripts.ContainerScripts (Script, ScriptOrigin, UnboundRead, ScriptProblem)
                                       the scripts a container runs, and what they read

Frozen dataclasses of plain data: no method here opens a file, a socket or a process. The
gathering code (`images/`, `shell/`, `checks/engine.py`) builds them; checks only read them.
This package sits below `images` and `shell`, so both speak the same types.
"""
