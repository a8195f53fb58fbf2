import { setActiveCatalogue } from "../../packages/core/src/catalogue";
import { referenceCatalogue } from "../reference";

// Every test file starts priced by the reference fixture, not the shipped default.
setActiveCatalogue(referenceCatalogue());
