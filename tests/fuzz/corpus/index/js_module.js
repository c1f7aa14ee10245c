import { render } from "./view.js";
const fs = require("fs");

export default class Store extends Base {
  constructor(opts) {
    super(opts);
  }
  async load(id) {
    return fs.readFileSync(id);
  }
  get size() { return 1; }
  handler = (ev) => {
    render(ev);
  };
}

export const helper = function (x) { return x; };
function plain(a,
               b) {
  return a + b;
}
