# Local equivalent of rabbitmq:4-management: Debian trixie's RabbitMQ 4.0 with the management plugin, listening on
# all interfaces, guest/guest allowed from other hosts (as the public image does), `rabbitmq-diagnostics` on the PATH.
ARG ROOTFS
FROM ${ROOTFS}
ENV LANG=C.UTF-8 HOME=/var/lib/rabbitmq
RUN rabbitmq-plugins enable --offline rabbitmq_management >/dev/null \
    && printf 'loopback_users = none\nlisteners.tcp.default = 5672\n' > /etc/rabbitmq/rabbitmq.conf \
    && chown -R rabbitmq:rabbitmq /etc/rabbitmq /var/lib/rabbitmq
USER rabbitmq
EXPOSE 5672 15672
CMD ["rabbitmq-server"]
