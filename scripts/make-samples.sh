#!/usr/bin/env bash
# Regenerates the sample corpus in samples/ with the project's own generator (tests module).
set -euo pipefail
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$HOME_DIR/bin/pagebeam" --help >/dev/null   # builds the jars if needed
jar="$(ls "$HOME_DIR"/tests/target/pagebeam-tests-*.jar | head -1)"
java -cp "$jar:$(cat "$HOME_DIR/tests/target/classpath.txt")" dev.pagebeam.samples.SampleCorpus "$HOME_DIR/samples"
