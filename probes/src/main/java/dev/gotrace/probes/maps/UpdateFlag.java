package dev.gotrace.probes.maps;

/** Flags of BPF_MAP_UPDATE_ELEM: create or replace, create only, replace only. */
public enum UpdateFlag {
  ANY(0), NOEXIST(1), EXIST(2);

  final long value;

  UpdateFlag(long value) {
    this.value = value;
  }
}
