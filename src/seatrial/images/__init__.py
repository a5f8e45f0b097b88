"""Open the real images: registry client, layer file index, cache.

Public surface (everything else is private to this package):

    gather.ImageOptions, gather.gather_images(refs, options) -> {ref: ImageResult}
    index.read_image_file(facts, path) (I/O: the gathering phase only)
    (the records themselves, ImageFacts and ImageProblem, are in seatrial.facts.image)
    refs.parse_reference

Layout: refs.py (Docker reference rules), auth.py (credentials, challenges), registry.py
(the OCI client over httpx), cache.py (content-addressed cache), index.py (streaming layer
index), program.py (what a container starts), occurrences.py (an image across cells).
"""
