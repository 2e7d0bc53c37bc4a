# The stand-in for python:<X.Y>-slim in the offline Docker suite: the Debian trixie rootfs (imported as
# uvsvc-standin/rootfs) made to look like the official image where the generated Dockerfile relies on it.
FROM uvsvc-standin/rootfs
# The official image has `python`; Debian's console scripts of the python3-* packages are not on a real
# slim image's PATH (the service's own come from its venv, written by uv).
RUN ln -s /usr/bin/python3 /usr/local/bin/python \
    && rm -f /usr/bin/pytest /usr/bin/pytest-3 /usr/bin/py.test /usr/bin/py.test-3
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8
CMD ["python3"]
