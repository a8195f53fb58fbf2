import { it } from "vitest";
import * as dd from "../src/doubledouble";
import { expectedWrites } from "../src/caching";
import { Dec } from "../src/decimal";
it("x", () => {
  dd.divFp(50000, 0, 1520);
  console.log("x", dd.out.hi, dd.out.lo);
  dd.exp(-dd.out.hi, -dd.out.lo);
  console.log("e", dd.out.hi, dd.out.lo);
  console.log(new Dec(-50000).div(1520).exp().toString());
  const eh = dd.out.hi,
    el = dd.out.lo;
  dd.mul(9999, 0, eh, el);
  const ph = dd.out.hi,
    pl = dd.out.lo;
  dd.add(1, 0, ph, pl);
  console.log("W", dd.out.hi, dd.out.lo, ph, pl);
  console.log(expectedWrites(new Dec(10000), new Dec(1520), new Dec(5)).toString());
  console.log(dd.roundsTo(dd.out.hi, dd.out.lo, Math.abs(ph) * 2 ** -90 + dd.out.hi * 2 ** -98));
});
