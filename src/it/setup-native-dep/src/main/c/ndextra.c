/* libndextra.so.2: installed bare with classifier "extra"; the IT takes it by coordinates, outside its dependencies. */
int ndextra_value(void) { return 9; }
