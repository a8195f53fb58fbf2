import * as images from "@tokenledger/core/images";
import { numberResult } from "./excel";

/**
 * Input tokens one image costs, by the provider's published rule (OpenAI 512-px tiles or 32-px patches, Anthropic width × height ÷ 750 after resizing, Google 258-token tiles), rounded up.
 * @customfunction IMAGE_TOKENS
 * @param provider_or_model "openai", "anthropic", "google", or a catalogue model id (its own rule where it has one: o-series and mini models count differently).
 * @param width_px Image width in pixels (a whole number ≥ 1).
 * @param height_px Image height in pixels (a whole number ≥ 1).
 * @param [detail] "high" (default) or "low"; matters for OpenAI tile models only.
 * @returns Input tokens (whole).
 */
export function IMAGE_TOKENS(provider_or_model: string, width_px: number, height_px: number, detail?: string): number {
  return numberResult(images.IMAGE_TOKENS, [provider_or_model, width_px, height_px, detail]);
}
