# The same Java service, each install cleaned in its own RUN.
FROM rockylinux:9.3
RUN dnf -y install java-17-openjdk-headless shadow-utils \
 && useradd --system --uid 10001 app \
 && dnf clean all
RUN yum -y install fontconfig && yum clean all && rm -rf /var/cache/yum
COPY target/app.jar /opt/app/app.jar
USER 10001
CMD ["java", "-jar", "/opt/app/app.jar"]
