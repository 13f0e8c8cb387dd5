// F-01.12..F-01.14: comments and line directives
/* a multi-line
   comment */ int before;
# 100 "foo.h"
int at_line_100; // a comment \
   continued on the next line
#line 7 "bar.h"
int at_line_7;
