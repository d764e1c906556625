#!/usr/bin/env bash
# test_cli.sh - the text commands through the real binary: cluster, keypoints
# and dedup on a small hand-written JSON Lines file, plus hostile input
# (invalid JSON, a line over the size cap, invalid UTF-8, bad options).
# Prints TAP.
set -u
tidings=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); echo "not ok $n $1"; fail=1; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }

quake1='A magnitude 7.1 earthquake struck off the coast of northern Japan on Monday, shaking buildings in Sendai and prompting a tsunami warning for the Miyagi coast. Officials said there were no immediate reports of serious damage.'
quake2='Japan issued a tsunami warning after a powerful earthquake hit the northern Miyagi region on Monday. Residents of Sendai felt strong shaking and trains were halted while officials checked the nuclear plants.'
quake3='The earthquake off Miyagi prefecture in Japan led the meteorological agency to issue a tsunami alert. Sendai residents moved to higher ground as the agency measured the quake at magnitude 7.1.'
vote1='Lawmakers approved the national budget in a late-night parliamentary vote on Tuesday after the finance minister agreed to raise pension spending. The opposition voted against the budget, calling the spending plan reckless.'
vote2='Opposition parties failed to block the budget in Tuesday'"'"'s parliamentary vote. The finance minister defended higher pension spending as the budget passed late at night.'
frog='Biologists have described a new species of tree frog from the Amazon rainforest, distinguished by its bright blue markings and unusual mating call recorded at night.'

cat > "$tmp/in.jsonl" <<EOF2
{"id":"q1","title":"Strong earthquake strikes northern Japan","text":"$quake1","published":"2023-11-14T22:13:20Z","language":"en"}
{"id":"v1","title":"Parliament passes budget after late-night vote","text":"$vote1","published":1700010000}
{"id":"q2","title":"Japan earthquake triggers tsunami warning","text":"$quake2","published":"2023-11-15T00:13:20+01:00"}
{"id":7,"title":"New species of frog found in rainforest","text":"$frog"}
{"id":"v2","title":"Opposition fails to block budget vote","text":"$vote2","published":1700014000}
{"id":"q3","title":"Tsunami alert after quake off Miyagi","text":"$quake3","published":1700007200}
{"id":"q1-copy","title":"Japan hit by strong quake","text":"$quake1","published":1700000100}
EOF2

"$tidings" cluster < "$tmp/in.jsonl" > "$tmp/out" 2> "$tmp/err"
rc=$?
check "cluster exits 0" '[ $rc -eq 0 ] && [ ! -s "$tmp/err" ]'
check "cluster prints one line per article in order" \
    '[ "$(sed -E "s/.*\"id\":(\"?[^\",]*\"?).*/\1/" "$tmp/out" | tr "\n" " ")" = "\"q1\" \"v1\" \"q2\" 7 \"v2\" \"q3\" \"q1-copy\" " ]'
story() { grep -F "\"id\":$1," "$tmp/out" | sed -E 's/.*"story":([0-9]+).*/\1/'; }
check "the three quake reports and the copy share a story" \
    '[ "$(story "\"q1\"")" = "$(story "\"q2\"")" ] && [ "$(story "\"q1\"")" = "$(story "\"q3\"")" ] && [ "$(story "\"q1\"")" = "$(story "\"q1-copy\"")" ]'
check "the two budget reports share another story" \
    '[ "$(story "\"v1\"")" = "$(story "\"v2\"")" ] && [ "$(story "\"v1\"")" != "$(story "\"q1\"")" ]'
check "the unrelated article stands alone" \
    '[ "$(story 7)" != "$(story "\"q1\"")" ] && [ "$(story 7)" != "$(story "\"v1\"")" ]'
check "story ids start at 1 in order of creation" '[ "$(story "\"q1\"")" = 1 ] && [ "$(story "\"v1\"")" = 2 ] && [ "$(story 7)" = 3 ]'

# A one-hour window splits the quake story: q3 (2 hours after q1's story was
# last fed by q2) still joins; the copy always does.
"$tidings" cluster --window 0.5 < "$tmp/in.jsonl" > "$tmp/out" 2> "$tmp/err"
check "a narrow window keeps distant reports apart" '[ "$(story "\"q1\"")" != "$(story "\"q3\"")" ] && [ "$(story "\"q1\"")" = "$(story "\"q1-copy\"")" ]'
"$tidings" cluster --window nope < /dev/null > /dev/null 2> "$tmp/err"
rc=$?
check "a bad --window is a usage error" '[ $rc -eq 2 ] && grep -q "window" "$tmp/err"'

"$tidings" keypoints --sentences 1 < "$tmp/in.jsonl" > "$tmp/out" 2> "$tmp/err"
rc=$?
check "keypoints exits 0 with one line per article" '[ $rc -eq 0 ] && [ $(wc -l < "$tmp/out") -eq 7 ]'
check "keypoints gives sentences of the article" 'grep -qF "{\"id\":\"q1\",\"keypoints\":[\"A magnitude 7.1 earthquake struck off the coast of northern Japan on Monday, shaking buildings in Sendai and prompting a tsunami warning for the Miyagi coast.\"]}" "$tmp/out"'
"$tidings" keypoints --sentences 2 < "$tmp/in.jsonl" > "$tmp/out"
check "keypoints --sentences 2 gives two, in article order" 'grep -qF "{\"id\":\"v2\",\"keypoints\":[\"Opposition parties failed to block the budget in Tuesday'"'"'s parliamentary vote.\",\"The finance minister defended higher pension spending as the budget passed late at night.\"]}" "$tmp/out"'
"$tidings" keypoints --sentences 0 < /dev/null > /dev/null 2>&1
check "keypoints --sentences 0 is a usage error" '[ $? -eq 2 ]'

"$tidings" dedup < "$tmp/in.jsonl" > "$tmp/out" 2> "$tmp/err"
rc=$?
check "dedup prints the one group of copies" '[ $rc -eq 0 ] && [ "$(cat "$tmp/out")" = "{\"group\":1,\"ids\":[\"q1\",\"q1-copy\"]}" ]'

# Hostile input: invalid JSON, a non-object, no id, a 9 MiB line, invalid UTF-8.
{
    head -n 1 "$tmp/in.jsonl"
    echo '{"id": "broken", "text": '
    echo '[1,2,3]'
    echo '{"title":"no id"}'
    printf '{"id":"huge","text":"'; head -c 9437184 /dev/zero | tr '\0' 'a'; echo '"}'
    printf '{"id":"latin1","title":"Caf\xe9","text":"Le caf\xe9 est ouvert. Il fait beau."}\n'
    echo ''
    sed -n 2p "$tmp/in.jsonl"
} > "$tmp/bad.jsonl"
"$tidings" cluster < "$tmp/bad.jsonl" > "$tmp/out" 2> "$tmp/err"
rc=$?
check "bad lines make the exit status 1" '[ $rc -eq 1 ]'
check "invalid JSON is reported with its line number" 'grep -q "line 2:" "$tmp/err" && grep -q "line 3: not a JSON object" "$tmp/err" && grep -q "line 4: no string or integer \"id\"" "$tmp/err"'
check "an oversized line is reported and skipped" 'grep -q "line 5: longer than" "$tmp/err" && ! grep -q huge "$tmp/out"'
check "invalid UTF-8 is repaired, not fatal" 'grep -q "\"id\":\"latin1\"" "$tmp/out"'
check "good lines around bad ones are still processed" '[ $(wc -l < "$tmp/out") -eq 3 ] && grep -q "\"id\":\"v1\"" "$tmp/out"'
"$tidings" keypoints < "$tmp/bad.jsonl" > "$tmp/out" 2> /dev/null
check "keypoints of repaired text" 'grep -qF "\"Le caf\\ufffd est ouvert.\",\"Il fait beau.\"" "$tmp/out" || grep -qF "Le caf" "$tmp/out"'

echo "1..$n"
exit $fail
