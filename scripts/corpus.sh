# Sourced by the bench scripts: `corpus_site N` prints the path of a generated
# site of N articles (crates/galley-corpus, default seed), writing it under
# /dev/shm/galley-bench the first time.
corpus_site() {
  local n=$1 site=/dev/shm/galley-bench/corpus-$1
  if [ ! -f "$site/site.yaml" ]; then
    cargo build --release --locked --quiet -p galley-corpus
    mkdir -p /dev/shm/galley-bench
    target/release/galley-corpus "$site.tmp" "$n" >/dev/null 2>&1
    mv "$site.tmp" "$site"
  fi
  echo "$site"
}
