package dev.gotrace.goelf.moduledata;

import java.util.OptionalLong;

/**
 * The words of {@code runtime.firstmoduledata} gotrace uses, each proven against the pclntab
 * and the segments before it is returned (see {@link ModuleDataFinder}).
 *
 * @param address where the module data is
 * @param source how it was found
 * @param layout the layout its words were read with
 * @param text runtime.text: function entries are offsets from it (Go 1.18+)
 * @param etext the end of the module's text
 * @param minpc the first function's entry
 * @param maxpc the end of the last function
 * @param types the start of the type descriptors (nameOff and typeOff are relative to it)
 * @param etypes their end
 * @param gofunc the base of funcdata offsets ({@code go:func.*}, Go 1.18+)
 */
public record ModuleData(long address, Source source, ModuleLayout layout, long text, long etext, long minpc,
    long maxpc, long types, long etypes, OptionalLong gofunc) {

  /** How the module data was found. */
  public enum Source {
    /** The {@code .go.module} section (Go 1.26+). */
    SECTION(".go.module"),
    /** The {@code runtime.firstmoduledata} symbol. */
    SYMBOL("runtime.firstmoduledata"),
    /** The one place in the writable segments whose first word points at the pclntab header. */
    SCAN("a scan of the data segments");

    private final String text;

    Source(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
