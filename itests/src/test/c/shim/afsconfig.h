/* rxgen's C output includes <afsconfig.h>, which OpenAFS's build makes; Debian's headers have no copy. */
