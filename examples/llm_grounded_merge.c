/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: the llm engine's prompt and merge, without a model.
 *
 * Writes a one-file Python project into a temporary directory
 * (ISG_EXAMPLE_TMPDIR, else /tmp), builds its offline bridge, prints the
 * prompt the model would get, then merges a hand-written answer that
 * names one real file and one invented file: the invented one is dropped.
 * Last, an engine without a model (isg_engine_new() with no chat client,
 * as when OPENAI_API_KEY is unset) gives the offline bridge and says why;
 * with a client from isg_llm_new() it asks the model, merges, repairs once
 * and falls back by policy.
 *
 *   cc llm_grounded_merge.c $(pkg-config --cflags --libs issuesight)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <issuesight/issuesight.h>

int main(void)
{
	const char *base = getenv("ISG_EXAMPLE_TMPDIR");
	const char *issue = "parse_port accepts port 0\n\n"
	                    "parse_port(\"0\") returns 0 instead of raising.\n";
	const char *answer =
	        "{\"verdict\":{\"junior_friendly\":true,\"difficulty\":\"beginner\",\"reasons\":[\"One check to add.\"]},\"prerequisites\":[{\"concept\":\"Exceptions\",\"why\":\"The fix raises ValueError.\"}],\"architecture\":{\"summary\":\"netcfg/ports.py parses ports.\",\"entry_point\":\"netcfg/ports.py\",\"files\":[{\"path\":\"netcfg/ports.py\",\"role\":\"Holds parse_port.\"},{\"path\":\"netcfg/magic.py\",\"role\":\"Invented.\"}]},\"guide\":{\"steps\":[{\"title\":\"Add the range check\",\"detail\":\"Raise ValueError below 1.\",\"files\":[\"netcfg/ports.py\"]}]}}";
	isg_bridge_options opts = ISG_BRIDGE_OPTIONS_INIT;
	isg_bridge_llm_input in = ISG_BRIDGE_LLM_INPUT_INIT;
	isg_bridge_llm_report rep;
	isg_engine *engine = NULL;
	isg_engine_result res;
	isg_bridge *offline = NULL, *merged = NULL;
	isg_buf prompt = ISG_BUF_INIT;
	char dir[512], sub[600], cache[600], file[700];
	FILE *f;
	int rc = 1;

	snprintf(dir, sizeof(dir), "%s/bridge_llm_example",
	         base ? base : "/tmp");
	snprintf(sub, sizeof(sub), "%s/netcfg", dir);
	snprintf(cache, sizeof(cache), "%s.cache", dir);
	snprintf(file, sizeof(file), "%s/ports.py", sub);
	mkdir(dir, 0755);
	mkdir(sub, 0755);
	f = fopen(file, "w");
	if (!f)
		return 1;
	fputs("def parse_port(text):\n    return int(text)\n", f);
	fclose(f);
	if (isg_global_init() != ISG_OK)
		return 1;
	opts.repo = dir;
	opts.cache_dir = cache;
	opts.issue_text = issue;
	opts.issue_text_len = strlen(issue);
	if (isg_bridge_generate(&offline, &opts) != ISG_OK)
		goto done;
	in.offline = offline;
	in.issue_body = "parse_port(\"0\") returns 0 instead of raising.";
	if (isg_bridge_llm_prompt(&prompt, &in) != ISG_OK)
		goto done;
	printf("instructions: %zu bytes; prompt:\n%s\n",
	       strlen(isg_bridge_llm_instructions()), prompt.ptr);
	if (isg_bridge_llm_merge(&merged, &rep, &in, answer, strlen(answer),
	                         "example-model", 500, 120) != ISG_OK)
		goto done;
	printf("engine %s, %zu ungrounded path(s) dropped, %zu file(s) named by the model, first file %s\n",
	       isg_bridge_get_engine(merged)->kind, rep.dropped_paths,
	       rep.model_files,
	       isg_bridge_get_architecture(merged)->files[0].path);
	if (rep.dropped_paths != 1)
		goto done;
	if (isg_engine_new(&engine, NULL, ISG_ENGINE_FALLBACK_OFFLINE) !=
	            ISG_OK ||
	    isg_engine_generate(&res, engine, &in, "example") != ISG_OK)
		goto done;
	printf("engine without a model: %s bridge (%s)\n",
	       isg_bridge_get_engine(res.bridge)->kind, res.reason);
	isg_bridge_free(res.bridge);
	rc = 0;
done:
	isg_engine_free(engine);
	if (rc != 0)
		fprintf(stderr, "bridge_llm example failed: %s\n",
		        isg_error_last()->message);
	isg_buf_dispose(&prompt);
	isg_bridge_free(offline);
	isg_bridge_free(merged);
	isg_global_shutdown();
	return rc;
}
