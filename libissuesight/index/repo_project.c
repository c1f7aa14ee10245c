/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo project: facts about how to contribute to a project, read from its
 * checkout: the test command (stated in CONTRIBUTING or README, else
 * inferred from build files), the contribution guides with an excerpt each,
 * and the README.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "issuesight/file.h"
#include "json_int.h"
#include "repo_int.h"

#define MODULE "repo"

int isg__repo_read_in_tree(isg_buf *out, const char *root, const char *rel,
                           size_t cap)
{
	return isg_file_read_in_tree(out, root, rel, cap, ISG_FILE_TRUNCATE);
}

int isg__repo_has_file(const char *root, const char *rel)
{
	isg_buf one = ISG_BUF_INIT;
	int rc = isg_file_read_in_tree(&one, root, rel, 1, ISG_FILE_TRUNCATE);

	isg_buf_dispose(&one);
	return rc == ISG_OK;
}

static int exists(const isg_repo *r, const char *rel)
{
	return isg__repo_has_file(r->root, rel);
}

static int read_rel(isg_buf *out, const isg_repo *r, const char *rel,
                    size_t cap)
{
	return isg__repo_read_in_tree(out, r->root, rel, cap);
}

static const char *const test_cmds[] = {
	"make test",
	"make check",
	"python -m pytest",
	"pytest",
	"tox",
	"nox",
	"npm test",
	"npm run test",
	"yarn test",
	"pnpm test",
	"go test",
	"cargo test",
	"meson test",
	"ctest",
	"bundle exec rake",
	"rake test",
	"bundle exec rspec",
	"rspec",
	"mvn test",
	"./gradlew test",
	"gradle test",
	"ninja test",
	"python setup.py test",
	"python -m unittest",
};

/* Finds a test command written in a guide: a line (in a code block or
 * after a "$ " prompt) that starts with a known command. */
static int command_in_text(isg_repo *r, const char *text, const char *origin)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p), i;
		const char *q = p;

		while (q < p + l && (*q == ' ' || *q == '\t' || *q == '`'))
			q++;
		if (q + 2 < p + l && q[0] == '$' && q[1] == ' ')
			q += 2;
		for (i = 0; i < ISG__ARRAY_SIZE(test_cmds); i++) {
			size_t n = strlen(test_cmds[i]);
			const char *e = p + l;

			if ((size_t)(e - q) >= n &&
			    memcmp(q, test_cmds[i], n) == 0 &&
			    (q + n == e || q[n] == ' ' || q[n] == '`' ||
			     q[n] == '\r')) {
				while (e > q && (e[-1] == '\r' ||
				                 e[-1] == ' ' || e[-1] == '`'))
					e--;
				if (memchr(q, '`', (size_t)(e - q)))
					e = memchr(q, '`', (size_t)(e - q));
				if (e - q > 120)
					e = q + n;
				r->test_cmd = isg__arena_strndup(
				        &r->arena, q, (size_t)(e - q));
				r->test_origin =
				        isg__arena_strdup(&r->arena, origin);
				if (!r->test_cmd || !r->test_origin)
					return isg__error_oom(MODULE);
				return 1;
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

static int set_cmd(isg_repo *r, const char *cmd, const char *origin)
{
	r->test_cmd = isg__arena_strdup(&r->arena, cmd);
	r->test_origin = isg__arena_strdup(&r->arena, origin);
	return r->test_cmd && r->test_origin ? 1 : isg__error_oom(MODULE);
}

static int has_line_prefix(const char *text, const char *prefix)
{
	const char *p = text;
	size_t n = strlen(prefix);

	while (p) {
		if (strncmp(p, prefix, n) == 0)
			return 1;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

static int infer_command(isg_repo *r, isg_buf *tmp)
{
	if (read_rel(tmp, r, "Makefile", 1 << 20) == ISG_OK) {
		if (has_line_prefix(tmp->ptr, "test:") ||
		    has_line_prefix(tmp->ptr, "test "))
			return set_cmd(r, "make test", "Makefile");
		if (has_line_prefix(tmp->ptr, "check:"))
			return set_cmd(r, "make check", "Makefile");
	}
	if (read_rel(tmp, r, "package.json", 1 << 20) == ISG_OK) {
		cJSON *doc = cJSON_Parse(tmp->ptr);
		const char *t =
		        isg__json_str(isg__json_obj(doc, "scripts"), "test");
		int found = t && !strstr(t, "no test specified");

		cJSON_Delete(doc);
		if (found)
			return set_cmd(r, "npm test", "package.json");
	}
	if (exists(r, "tox.ini"))
		return set_cmd(r, "tox", "tox.ini");
	if (exists(r, "pytest.ini"))
		return set_cmd(r, "pytest", "pytest.ini");
	if (read_rel(tmp, r, "setup.cfg", 1 << 20) == ISG_OK &&
	    strstr(tmp->ptr, "[tool:pytest]"))
		return set_cmd(r, "pytest", "setup.cfg");
	if (exists(r, "pyproject.toml"))
		return set_cmd(r, "pytest", "pyproject.toml");
	if (exists(r, "setup.py"))
		return set_cmd(r, "pytest", "setup.py");
	if (exists(r, "go.mod"))
		return set_cmd(r, "go test ./...", "go.mod");
	if (exists(r, "Cargo.toml"))
		return set_cmd(r, "cargo test", "Cargo.toml");
	if (exists(r, "meson.build"))
		return set_cmd(r, "meson test -C build", "meson.build");
	if (exists(r, "CMakeLists.txt"))
		return set_cmd(r, "ctest --test-dir build", "CMakeLists.txt");
	if (exists(r, "Rakefile") || exists(r, "Gemfile"))
		return set_cmd(r, "bundle exec rake test",
		               exists(r, "Rakefile") ? "Rakefile" : "Gemfile");
	if (exists(r, "pom.xml"))
		return set_cmd(r, "mvn test", "pom.xml");
	if (exists(r, "build.gradle") || exists(r, "build.gradle.kts"))
		return set_cmd(r,
		               exists(r, "gradlew") ? "./gradlew test"
		                                    : "gradle test",
		               "build.gradle");
	return 0;
}

/* An excerpt: the first ~600 bytes of prose, with HTML comments, blank
 * runs and markup-only lines removed. */
static char *excerpt(isg_repo *r, const char *text)
{
	isg_buf out = ISG_BUF_INIT;
	const char *p = text;
	char *res = NULL;

	while (*p && out.size < 600) {
		const char *nl, *e;

		if (strncmp(p, "<!--", 4) == 0) {
			const char *end = strstr(p, "-->");

			p = end ? end + 3 : p + strlen(p);
			continue;
		}
		nl = strchr(p, '\n');
		e = nl ? nl : p + strlen(p);
		while (p < e && (*p == ' ' || *p == '\t' || *p == '#' ||
		                 *p == '=' || *p == '-' || *p == '*'))
			p++;
		while (e > p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '='))
			e--;
		if (e > p && !(e - p >= 4 && memcmp(p, "<!--", 4) == 0)) {
			if ((out.size && isg__buf_putc(&out, ' ') != ISG_OK) ||
			    isg_buf_put(&out, p, (size_t)(e - p)) != ISG_OK)
				goto done;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (out.size > 600) {
		out.size = 600;
		while (out.size &&
		       ((unsigned char)out.ptr[out.size] & 0xC0) == 0x80)
			out.size--;
		out.ptr[out.size] = '\0';
	}
	res = isg__arena_strndup(&r->arena, out.ptr ? out.ptr : "", out.size);
done:
	isg_buf_dispose(&out);
	return res;
}

static int add_guide(isg_repo *r, const char *rel, isg_buf *tmp, size_t *cap)
{
	char *ex;

	if (read_rel(tmp, r, rel, 64 * 1024) != ISG_OK)
		return ISG_OK;
	if (r->nguides == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		isg__guide *n = isg__alloc_realloc(r->guides, nc * sizeof(*n));

		if (!n)
			return isg__error_oom(MODULE);
		r->guides = n;
		*cap = nc;
	}
	ex = excerpt(r, tmp->ptr);
	r->guides[r->nguides].path = isg__arena_strdup(&r->arena, rel);
	r->guides[r->nguides].excerpt = ex;
	if (!ex || !r->guides[r->nguides].path)
		return isg__error_oom(MODULE);
	r->nguides++;
	return ISG_OK;
}

int isg__repo_project_load(isg_repo *r)
{
	static const char *const guides[] = {
		"CONTRIBUTING.md",
		"CONTRIBUTING.rst",
		"CONTRIBUTING.txt",
		"CONTRIBUTING",
		".github/CONTRIBUTING.md",
		".github/CONTRIBUTING.rst",
		"docs/CONTRIBUTING.md",
		".github/PULL_REQUEST_TEMPLATE.md",
		".github/pull_request_template.md",
		"PULL_REQUEST_TEMPLATE.md",
		".github/ISSUE_TEMPLATE.md",
		".github/ISSUE_TEMPLATE/bug_report.md",
		".github/ISSUE_TEMPLATE/bug_report.yml",
		".github/ISSUE_TEMPLATE/bug-report.md",
		".github/ISSUE_TEMPLATE/bug-report.yml",
		".github/ISSUE_TEMPLATE/feature_request.md",
	};
	static const char *const readmes[] = { "README.md",  "README.rst",
		                               "README.txt", "README",
		                               "readme.md",  "Readme.md" };
	isg_buf tmp = ISG_BUF_INIT;
	size_t i, cap = 0;
	int rc = ISG_OK;

	for (i = 0; i < ISG__ARRAY_SIZE(readmes) && !r->readme_path; i++)
		if (exists(r, readmes[i])) {
			r->readme_path =
			        isg__arena_strdup(&r->arena, readmes[i]);
			if (!r->readme_path) {
				rc = isg__error_oom(MODULE);
				goto done;
			}
		}
	for (i = 0; i < ISG__ARRAY_SIZE(guides); i++)
		if ((rc = add_guide(r, guides[i], &tmp, &cap)) != ISG_OK)
			goto done;
	/* A command the maintainers wrote down wins over an inferred one. */
	for (i = 0; i < ISG__ARRAY_SIZE(guides) && !r->test_cmd; i++) {
		if (strstr(guides[i], "TEMPLATE") ||
		    strstr(guides[i], "template"))
			continue;
		if (read_rel(&tmp, r, guides[i], 1 << 20) == ISG_OK &&
		    (rc = command_in_text(r, tmp.ptr, guides[i])) < 0)
			goto done;
	}
	if (!r->test_cmd && r->readme_path &&
	    read_rel(&tmp, r, r->readme_path, 1 << 20) == ISG_OK &&
	    (rc = command_in_text(r, tmp.ptr, r->readme_path)) < 0)
		goto done;
	if (!r->test_cmd && (rc = infer_command(r, &tmp)) < 0)
		goto done;
	rc = ISG_OK;
done:
	isg_buf_dispose(&tmp);
	return rc;
}
