#!/bin/sh
# usage: cg.sh BIN BENCHREGEX N1 N2 → instructions and cache misses per
# event (cachegrind; the setup taken away by the difference of two runs)
bin=$1; re=$2; n1=$3; n2=$4
m() {
  GOGC=off GOMAXPROCS=1 valgrind --tool=cachegrind --cache-sim=yes --cachegrind-out-file=/dev/null $bin -test.run xxx -test.bench "$re" -test.benchtime ${1}x -test.count 1 2>&1 |
   awk '/I *refs:/{gsub(",","",$4); ir=$4} /D1  misses:/{gsub(",","",$4); d1=$4} /LL misses:/{gsub(",","",$4); ll=$4} END{print ir, d1, ll}'
}
a=$(m $n1); b=$(m $n2)
echo "$a $b" | awk -v n1=$n1 -v n2=$n2 -v re="$re" '{d=n2-n1; printf "%s: %.0f instr/event, %.2f D1 misses/event, %.3f LL misses/event\n", re, ($4-$1)/d, ($5-$2)/d, ($6-$3)/d}'
