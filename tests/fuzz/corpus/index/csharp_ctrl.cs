	using System;
namespace Api.Controllers {
    public class IssuesController : ControllerBase {
        public async Task<IActionResult> Get(int id) {
            return Ok(id);
        }
    }
}
