FROM bulkhead-test:1
ARG TOKEN=abc
RUN printf "#!/bin/sh\nexit 0\n" > /bin/apt-get && chmod +x /bin/apt-get && cp /bin/apt-get /bin/apk
ADD a.txt /a.txt
ADD arch.tar /x/
ADD d /d
COPY a.txt /b.txt
RUN apt-get update
RUN echo one && \
    echo two
SHELL ["/bin/sh", "-e", "-c"]
RUN apk update
USER 1000
HEALTHCHECK CMD ["true"]
EXPOSE 22
CMD ["sh", "-c", "echo hi"]
