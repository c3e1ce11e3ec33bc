# cloudfunc-local/rabbitmq:4.0-management-trixie, standing in for rabbitmq:4-management where no registry answers:
# Debian trixie's RabbitMQ 4.0 with the management plugin, listening on all interfaces, guest/guest allowed from other
# hosts (as the public image does), `rabbitmq-diagnostics` on the PATH.
ARG ROOTFS
FROM ${ROOTFS}
ENV LANG=C.UTF-8 HOME=/var/lib/rabbitmq
RUN rabbitmq-plugins enable --offline rabbitmq_management >/dev/null \
    && printf 'loopback_users = none\nlisteners.tcp.default = 5672\n' > /etc/rabbitmq/rabbitmq.conf \
    && chown -R rabbitmq:rabbitmq /etc/rabbitmq /var/lib/rabbitmq
USER rabbitmq
WORKDIR /var/lib/rabbitmq
EXPOSE 5672 15672
# The broker's own start script, not Debian's /usr/sbin wrapper: the wrapper runs it as a child and ignores SIGTERM
# (a shell as pid 1), so every `docker stop` was a kill after 10 s; this script stops the broker on SIGTERM and logs
# to the container's output.
CMD ["/usr/lib/rabbitmq/bin/rabbitmq-server"]
