# cloudfunc-local/node:20-trixie, standing in for node:22-slim where no registry answers: Debian trixie's Node.js 20
# (without npm: it does not configure under debootstrap).
ARG ROOTFS
FROM ${ROOTFS}
ENV LANG=C.UTF-8 PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["node"]
