/*
 * banned.h - functions that must not be used anywhere in Zhiliang.
 *
 * Included last by every translation unit (through the compiler's -include
 * flag), so a call to one of these is a compile error.  They either cannot
 * bound their output (strcpy, strcat, sprintf, vsprintf, gets), keep hidden
 * state (strtok, asctime, ctime, gmtime, localtime), or lose errors (atoi).
 * Use struct zl_buf, snprintf into a sized array, strtok_r/strsep, the *_r
 * time functions, and strtol/strtoll with end-pointer checks instead.
 */
#ifndef ZL_BANNED_H
#define ZL_BANNED_H

#define ZL_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) ZL_BANNED(strcpy)
#undef strcat
#define strcat(x, y) ZL_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) ZL_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) ZL_BANNED(strncat)
#undef sprintf
#define sprintf(...) ZL_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) ZL_BANNED(vsprintf)
#undef gets
#define gets(x) ZL_BANNED(gets)
#undef strtok
#define strtok(x, y) ZL_BANNED(strtok)
#undef asctime
#define asctime(x) ZL_BANNED(asctime)
#undef ctime
#define ctime(x) ZL_BANNED(ctime)
#undef gmtime
#define gmtime(x) ZL_BANNED(gmtime)
#undef localtime
#define localtime(x) ZL_BANNED(localtime)
#undef atoi
#define atoi(x) ZL_BANNED(atoi)
#undef atol
#define atol(x) ZL_BANNED(atol)

#endif /* ZL_BANNED_H */
