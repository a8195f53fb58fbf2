import { type Param, textAs } from "../sheet";
import { activeCatalogue } from "./active";
import type { CompiledModel } from "./compile";
import { findHardware, findModel } from "./lookup";

/** The catalogue as the worksheet functions' arguments name it: models and hardware by id. */

/** A model argument: resolved against the active catalogue when the function runs. */
export function modelArg(name = "model"): Param<CompiledModel> {
  return textAs(name, (id) => findModel(activeCatalogue(), id));
}

/** Hardware by catalogue id, for the self-hosting functions. */
export function hardwareNamed(name: string) {
  return findHardware(activeCatalogue(), name);
}
