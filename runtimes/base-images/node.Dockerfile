# Local equivalent of node:22-slim: Debian trixie's nodejs and npm.
ARG ROOTFS
FROM ${ROOTFS}
ENV LANG=C.UTF-8 PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["node"]
