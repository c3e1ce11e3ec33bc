# cloudfunc-local/openjdk:25-jre-trixie, standing in for eclipse-temurin:25-jre where no registry answers: Debian
# trixie's OpenJDK 25 JRE (not Temurin), `java` on the PATH.
ARG ROOTFS
FROM ${ROOTFS}
ENV LANG=C.UTF-8 JAVA_HOME=/usr/lib/jvm/java-25-openjdk-amd64 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["jshell"]
