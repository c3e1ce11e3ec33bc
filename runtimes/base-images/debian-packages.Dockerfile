# The Debian packages of one local base image (the packages field of its line in runtimes/base-images/images),
# installed by build-local-base-images.sh on the shared debootstrap root (ROOTFS); the image's own Dockerfile
# (python.Dockerfile, ...) then builds on the result. As `debootstrap --include` did: no recommended packages, and
# nothing set up for a host: no service starts while its package installs (policy-rc.d, removed again) and
# PostgreSQL's packages create no cluster (the image's entrypoint makes one in PGDATA). No fsync per file (a failed
# build is thrown away whole), and no package list or archive stays in the layer.
ARG ROOTFS
FROM ${ROOTFS}
ARG PACKAGES
RUN printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d \
    && mkdir -p /etc/postgresql-common/createcluster.d \
    && echo 'create_main_cluster = off' > /etc/postgresql-common/createcluster.d/cloudfunc-no-main-cluster.conf \
    && apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-unsafe-io ${PACKAGES} \
    && apt-get clean && rm -rf /var/lib/apt/lists/* /usr/sbin/policy-rc.d \
    && if [ ! -e /usr/share/postgresql-common ]; then rm -rf /etc/postgresql-common; fi
