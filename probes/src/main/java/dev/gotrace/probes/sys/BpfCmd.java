package dev.gotrace.probes.sys;

/** {@code enum bpf_cmd} values used by gotrace (linux/bpf.h). */
public enum BpfCmd {
  BPF_MAP_CREATE(0), BPF_MAP_LOOKUP_ELEM(1), BPF_MAP_UPDATE_ELEM(2), BPF_MAP_DELETE_ELEM(3),
  BPF_MAP_GET_NEXT_KEY(4), BPF_PROG_LOAD(5), BPF_PROG_GET_NEXT_ID(11), BPF_PROG_GET_FD_BY_ID(13),
  BPF_OBJ_GET_INFO_BY_FD(15), BPF_LINK_CREATE(28), BPF_LINK_GET_FD_BY_ID(30), BPF_LINK_GET_NEXT_ID(31),
  BPF_MAP_LOOKUP_BATCH(24), BPF_ENABLE_STATS(32);

  private final int value;

  BpfCmd(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }
}
