/*
 * Functions that make buffer overflows easy.  Use strlcpy, strlcat,
 * snprintf or a strbuf instead.  Included last by every file in lib/.
 */
#ifndef LIB_BANNED_H
#define LIB_BANNED_H

#define BANNED(func) sorry_##func##_is_banned

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)

#endif
