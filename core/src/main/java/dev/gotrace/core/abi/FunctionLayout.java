package dev.gotrace.core.abi;

import java.util.List;

/** Where the inputs of a function are at its entry, and its results at a return. */
public record FunctionLayout(String function, List<ParamLayout> inputs, List<ParamLayout> results) {
  public FunctionLayout {
    inputs = List.copyOf(inputs);
    results = List.copyOf(results);
  }
}
