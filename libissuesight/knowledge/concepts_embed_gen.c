/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A build-time tool: turns a file into a C source that defines
 * `const unsigned char <name>[]` and `const size_t <name>_len`, so that
 * data/concepts.json is inside the library and needs no installation.
 *
 *   concepts_embed_gen INPUT OUTPUT.c SYMBOL
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	FILE *in, *out;
	unsigned long n = 0;
	int c;

	if (argc != 4) {
		fprintf(stderr, "usage: %s INPUT OUTPUT.c SYMBOL\n", argv[0]);
		return 2;
	}
	in = fopen(argv[1], "rb");
	if (!in) {
		perror(argv[1]);
		return 1;
	}
	out = fopen(argv[2], "w");
	if (!out) {
		perror(argv[2]);
		fclose(in);
		return 1;
	}
	fprintf(out,
	        "/* Generated from %s: do not edit. */\n"
	        "#include <stddef.h>\n"
	        "extern const unsigned char %s[];\n"
	        "extern const size_t %s_len;\n"
	        "const unsigned char %s[] = {\n",
	        argv[1], argv[3], argv[3], argv[3]);
	while ((c = getc(in)) != EOF) {
		fprintf(out, "%u,%s", (unsigned)c, (++n % 24) ? "" : "\n");
	}
	/* A terminating NUL keeps the text usable as a C string too. */
	fprintf(out, "0\n};\nconst size_t %s_len = %lu;\n", argv[3], n);
	fclose(in);
	if (ferror(out) || fclose(out) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
