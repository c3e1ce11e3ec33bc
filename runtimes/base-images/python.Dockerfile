# cloudfunc-local/python:3.13-trixie, standing in for python:3.13-slim where no registry answers: Debian trixie's
# python3 (3.13) as `python3` and `python`.
ARG ROOTFS
FROM ${ROOTFS}
RUN ln -sf /usr/bin/python3 /usr/local/bin/python
ENV LANG=C.UTF-8 PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["python3"]
