#!/usr/bin/env bash
# Installs the Debian packages the tests use as independent references, when missing:
#  - awscli (/usr/bin/aws): "a client nobody here wrote" for the emulator's compatibility tests;
#    another `aws` on PATH (pip, pyenv) does not count;
#  - python3-botocore: the botocore-based CLI's library, for the emulator's EC2 and host-key
#    compatibility test (test/e2e/botocore.test.ts runs it under Debian's /usr/bin/python3);
#  - openssh-client (ssh-keygen) and openssl: host-key fingerprints are checked against them.
set -euo pipefail
missing=()
{ [ -x /usr/bin/aws ] && dpkg -s awscli >/dev/null 2>&1; } || missing+=(awscli)
{ [ -x /usr/bin/python3 ] && dpkg -s python3-botocore >/dev/null 2>&1; } || missing+=(python3-botocore)
command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-test-tools: the tests need ${missing[*]} and apt-get is not available to install them" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "ensure-test-tools: installing ${missing[*]} needs root (apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
echo "ensure-test-tools: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
