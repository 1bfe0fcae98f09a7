# An openSUSE Leap image: zypper keeps repository metadata and packages.
FROM opensuse/leap:15.6
# expect: package-cache-kept
RUN zypper --non-interactive refresh && zypper --non-interactive install --no-recommends nginx
RUN zypper --non-interactive install --no-recommends curl && zypper clean --all
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
