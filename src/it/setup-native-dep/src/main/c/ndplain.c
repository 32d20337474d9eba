/* libndplain.so: installed bare, as type "so" with classifier "plain". */
int ndplain_value(void) { return 7; }
