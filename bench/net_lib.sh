# bench/net_lib.sh — the iperf3 measuring and reporting shared by net.sh (netns mode) and
# net_run.sh (real containers). Needs $secs (seconds per iperf3 run) set by the caller.

gbps() {  # host port → Gbit/s received
  iperf3 -c "$1" -p "$2" -t "$secs" -J | python3 -c \
    'import json,sys; print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9))'
}
# Interleaved rounds, median per path: the machine is shared, so one run is noise.
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { python3 -c "print('%.0f%%' % (100*$1/$2))"; }
# print_path WIDTH LABEL GBPS DIRECT NOTE: one row of the report, as a share of direct.
print_path() {
  printf "%-${1}s %8s Gbit/s  %5s of direct  (%s)\n" "$2" "$3" "$(ratio "$3" "$4")" "$5"
}
