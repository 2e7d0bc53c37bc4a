# The stand-in for ghcr.io/astral-sh/uv:<version>: like the real (distroless) image it holds only /uv and /uvx.
FROM scratch
COPY uv uvx /
