#!/usr/bin/env bash
# Every benchmark, against the installed vault (or the one named): start-up of the
# fast paths, completion with 5,000 profiles, and the prompt's per-render cost.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/startup.sh" "$@"
bash "$here/completion.sh"
bash "$here/prompt.sh"
