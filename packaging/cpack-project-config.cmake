# Read by cpack once per generator (CPACK_PROJECT_CONFIG_FILE): what differs between them.

if(CPACK_GENERATOR STREQUAL "DEB")
  # Each component's description starts with its own synopsis line; CPackDeb would put
  # the project's summary above it.
  unset(CPACK_PACKAGE_DESCRIPTION_SUMMARY)
elseif(CPACK_GENERATOR STREQUAL "TGZ")
  # The same tree as the DEB and RPM (usr/..., etc/huntaze-relay/...). Without DESTDIR an
  # archive generator would install the absolute /etc files onto this machine instead.
  set(CPACK_SET_DESTDIR ON)
  set(CPACK_INSTALL_PREFIX /usr)
  # huntaze-0.1.0-linux-x86_64.tar.gz and huntaze-relay-0.1.0-linux-x86_64.tar.gz
  set(CPACK_ARCHIVE_DESKTOP_FILE_NAME
      "huntaze-${CPACK_PACKAGE_VERSION}-linux-${CPACK_SYSTEM_PROCESSOR}")
  set(CPACK_ARCHIVE_RELAY_FILE_NAME
      "huntaze-relay-${CPACK_PACKAGE_VERSION}-linux-${CPACK_SYSTEM_PROCESSOR}")
endif()
