/**
 * Outside Excel there is no `CustomFunctions` global; the add-in's wrappers construct
 * CustomFunctions.Error, so tests get a stand-in with the same shape (code, message).
 */
class CustomFunctionsError extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message);
  }
}

const g = globalThis as Record<string, unknown>;
g.CustomFunctions ??= {
  Error: CustomFunctionsError,
  ErrorCode: {
    invalidValue: "#VALUE!",
    notAvailable: "#N/A",
    divisionByZero: "#DIV/0!",
    invalidNumber: "#NUM!",
    nullReference: "#NULL!",
    invalidName: "#NAME?",
    invalidReference: "#REF!",
  },
  associate: () => {},
};
