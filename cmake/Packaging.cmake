# Packages. One CPack configuration with two install components, each its own package:
#   desktop -> huntaze        (the app, with its sandbox-mode helpers, .desktop, AppStream, icons)
#   relay   -> huntaze-relay  (the server, with its systemd unit, system user and /etc config)
# Components rather than two package configs: one `cpack` run over one build tree makes
# both, from the same install() rules that `cmake --install` uses, with one version.
#
# Linux: DEB, RPM and TGZ (`cpack -G DEB`, ... in the build tree; tests/packaging checks
# them). Windows: NSIS installer of the desktop (windeployqt). macOS: a DMG of Huntaze.app
# (macdeployqt). AppImage: packaging/appimage/build-appimage.sh. Container:
# packaging/relay/Containerfile. CI: .github/workflows/packages.yml.

set(HUNTAZE_APP_ID com.huntaze.Huntaze)
set(HUNTAZE_HOMEPAGE "https://huntaze.com" CACHE STRING "Project homepage in the packages")
set(HUNTAZE_PACKAGE_MAINTAINER "Huntaze maintainers <packages@huntaze.com>"
    CACHE STRING "Maintainer field of the packages (Name <email>)")
# No licence has been granted for Huntaze: the packages say so rather than invent one.
# Change these three together if that changes (SPDX id, RPM's name, one-line text).
set(HUNTAZE_LICENSE_SPDX "LicenseRef-proprietary")
set(HUNTAZE_LICENSE_RPM "Proprietary")
set(HUNTAZE_LICENSE_TEXT "All rights reserved.")
# The date of this version's release, for AppStream and the Debian changelog.
set(HUNTAZE_RELEASE_DATE "2026-11-25")
set(HUNTAZE_RELEASE_DATE_RFC2822 "Wed, 25 Nov 2026 00:00:00 +0000")
# Packaging revision of this version (the -1 of 0.1.0-1).
set(HUNTAZE_PACKAGE_RELEASE 1)

set(packaging_dir ${PROJECT_SOURCE_DIR}/packaging)
set(packaging_out ${CMAKE_BINARY_DIR}/packaging)

# --- Icons: the SVG is the source; PNGs at the hicolor sizes are rendered at build time
# by a tiny Qt tool (QSvgRenderer), so no image tool outside Qt is needed on any system.
find_package(Qt6 REQUIRED COMPONENTS Svg)
add_executable(huntaze-rendericon packaging/tools/rendericon.cpp)
target_link_libraries(huntaze-rendericon PRIVATE Qt6::Gui Qt6::Svg)
set_target_properties(huntaze-rendericon PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${packaging_out}/tools)
huntaze_target_warnings(huntaze-rendericon)

set(icon_svg ${PROJECT_SOURCE_DIR}/resources/icons/huntaze.svg)
set(icon_sizes 16 22 24 32 48 64 128 256 512)
set(icon_jobs)
set(icon_pngs)
foreach(size IN LISTS icon_sizes)
  set(png ${packaging_out}/icons/hicolor/${size}x${size}/apps/huntaze.png)
  list(APPEND icon_jobs ${size}:${png})
  list(APPEND icon_pngs ${png})
endforeach()
if(WIN32)
  list(APPEND icon_jobs 256:${packaging_out}/icons/huntaze.ico)
  list(APPEND icon_pngs ${packaging_out}/icons/huntaze.ico)
endif()
add_custom_command(OUTPUT ${icon_pngs}
                   COMMAND huntaze-rendericon ${icon_svg} ${icon_jobs}
                   DEPENDS huntaze-rendericon ${icon_svg}
                   COMMENT "Rendering the Huntaze icon at every hicolor size" VERBATIM)
add_custom_target(huntaze-icons ALL DEPENDS ${icon_pngs})

if(UNIX AND NOT APPLE)
  # --- Desktop (component desktop): sandbox mode runs huntaze-sandbox and pg-cluster.sh
  # from beside the app (their own install() rules predate the components, hence here).
  install(TARGETS huntaze-sandbox RUNTIME DESTINATION bin COMPONENT desktop)
  install(PROGRAMS scripts/pg-cluster.sh DESTINATION share/huntaze COMPONENT desktop)
  install(FILES ${packaging_dir}/desktop/${HUNTAZE_APP_ID}.desktop
          DESTINATION share/applications COMPONENT desktop)
  configure_file(${packaging_dir}/desktop/${HUNTAZE_APP_ID}.metainfo.xml.in
                 ${packaging_out}/${HUNTAZE_APP_ID}.metainfo.xml @ONLY)
  install(FILES ${packaging_out}/${HUNTAZE_APP_ID}.metainfo.xml
          DESTINATION share/metainfo COMPONENT desktop)
  install(DIRECTORY ${packaging_out}/icons/hicolor DESTINATION share/icons COMPONENT desktop)
  install(FILES ${icon_svg} DESTINATION share/icons/hicolor/scalable/apps COMPONENT desktop)

  # --- Relay (component relay). Absolute /etc: the config belongs there whatever the
  # prefix (a conffile in the DEB, %config(noreplace) in the RPM).
  install(FILES ${packaging_dir}/relay/huntaze-relay.service
          DESTINATION lib/systemd/system COMPONENT relay)
  install(FILES ${packaging_dir}/relay/huntaze-relay.sysusers
          DESTINATION lib/sysusers.d RENAME huntaze-relay.conf COMPONENT relay)
  install(FILES ${packaging_dir}/relay/relay.conf DESTINATION /etc/huntaze-relay
          PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ COMPONENT relay)
  install(DIRECTORY DESTINATION /etc/huntaze-relay/secrets
          DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
          COMPONENT relay)
  install(FILES ${packaging_dir}/relay/FIRST-RUN DESTINATION share/doc/huntaze-relay
          COMPONENT relay)
  # The operator's monitoring: the Grafana dashboard and the Prometheus alert rules
  # (generated from the rules the relay evaluates itself, relay/alerts/alertrules.cpp).
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/grafana/huntaze-relay.json
          DESTINATION share/huntaze-relay/grafana COMPONENT relay)
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/prometheus/huntaze-alerts.yml
          ${PROJECT_SOURCE_DIR}/packaging/prometheus/prometheus.example.yml
          DESTINATION share/huntaze-relay/prometheus COMPONENT relay)

  # --- Debian's per-package docs: copyright and a gzip -9n changelog (lintian wants both).
  set(HUNTAZE_DEB_VERSION ${PROJECT_VERSION}-${HUNTAZE_PACKAGE_RELEASE})
  find_program(GZIP_PROGRAM gzip)
  foreach(component IN ITEMS desktop relay)
    if(component STREQUAL desktop)
      set(HUNTAZE_DEB_PACKAGE huntaze)
    else()
      set(HUNTAZE_DEB_PACKAGE huntaze-relay)
    endif()
    set(doc_out ${packaging_out}/doc/${HUNTAZE_DEB_PACKAGE})
    configure_file(${packaging_dir}/debian/copyright.in ${doc_out}/copyright @ONLY)
    configure_file(${packaging_dir}/debian/changelog.in ${doc_out}/changelog.Debian @ONLY)
    install(FILES ${doc_out}/copyright DESTINATION share/doc/${HUNTAZE_DEB_PACKAGE}
            COMPONENT ${component})
    if(GZIP_PROGRAM)
      execute_process(COMMAND ${GZIP_PROGRAM} -9nf ${doc_out}/changelog.Debian)
      install(FILES ${doc_out}/changelog.Debian.gz DESTINATION share/doc/${HUNTAZE_DEB_PACKAGE}
              COMPONENT ${component})
    endif()
  endforeach()

  # Manual pages, gzip -9n as Debian ships them.
  if(GZIP_PROGRAM)
    foreach(page IN ITEMS desktop:huntaze.1 desktop:huntaze-sandbox.1 relay:huntaze-relay.8)
      string(REPLACE ":" ";" page ${page})
      list(GET page 0 component)
      list(GET page 1 name)
      string(REGEX REPLACE ".*\\.([0-9])$" "\\1" section ${name})
      configure_file(${packaging_dir}/man/${name} ${packaging_out}/man/${name} COPYONLY)
      execute_process(COMMAND ${GZIP_PROGRAM} -9nf ${packaging_out}/man/${name})
      install(FILES ${packaging_out}/man/${name}.gz DESTINATION share/man/man${section}
              COMPONENT ${component})
    endforeach()
  endif()
endif()

# --- Windows and macOS: the desktop only (the relay is a Linux server), with the relay
# and sandbox beside the app for sandbox mode, and Qt deployed next to them.
if(WIN32)
  install(TARGETS huntaze-relay huntaze-sandbox RUNTIME DESTINATION bin COMPONENT desktop)
  install(PROGRAMS scripts/pg-cluster.sh DESTINATION share/huntaze COMPONENT desktop)
  # libpq, OpenSSL, libcurl and FFmpeg DLLs (from vcpkg in CI) go beside the programs.
  install(CODE [[
    file(GET_RUNTIME_DEPENDENCIES
         EXECUTABLES "${CMAKE_INSTALL_PREFIX}/bin/huntaze.exe"
                     "${CMAKE_INSTALL_PREFIX}/bin/huntaze-relay.exe"
                     "${CMAKE_INSTALL_PREFIX}/bin/huntaze-sandbox.exe"
         RESOLVED_DEPENDENCIES_VAR dlls
         PRE_EXCLUDE_REGEXES "^api-ms-" "^ext-ms-"
         POST_EXCLUDE_REGEXES ".*[Ss]ystem32/.*" ".*[Qq]t6.*"
         DIRECTORIES $ENV{PATH})
    file(INSTALL ${dlls} DESTINATION "${CMAKE_INSTALL_PREFIX}/bin")
  ]] COMPONENT desktop)
  find_program(WINDEPLOYQT windeployqt HINTS ${Qt6_DIR}/../../../bin)
  install(CODE "execute_process(COMMAND \"${WINDEPLOYQT}\" --release --no-translations
                  --no-compiler-runtime \"\${CMAKE_INSTALL_PREFIX}/bin/huntaze.exe\"
                  \"\${CMAKE_INSTALL_PREFIX}/bin/huntaze-relay.exe\"
                  \"\${CMAKE_INSTALL_PREFIX}/bin/huntaze-sandbox.exe\"
                  COMMAND_ERROR_IS_FATAL ANY)" COMPONENT desktop)
  set(CMAKE_INSTALL_SYSTEM_RUNTIME_COMPONENT desktop)
  include(InstallRequiredSystemLibraries)
elseif(APPLE)
  # Huntaze.app/Contents/MacOS holds the three programs, Contents/share the helper script
  # (sandbox mode looks beside the app and in ../share/huntaze).
  set(macos_dir Huntaze.app/Contents/MacOS)
  install(TARGETS huntaze-relay huntaze-sandbox RUNTIME DESTINATION ${macos_dir}
          COMPONENT desktop)
  install(PROGRAMS scripts/pg-cluster.sh DESTINATION Huntaze.app/Contents/share/huntaze
          COMPONENT desktop)
  # An .icns from the rendered PNGs (iconutil ships with macOS).
  set(iconset ${packaging_out}/huntaze.iconset)
  add_custom_command(OUTPUT ${packaging_out}/huntaze.icns
                     COMMAND ${CMAKE_COMMAND} -E make_directory ${iconset}
                     COMMAND ${CMAKE_COMMAND} -E copy ${packaging_out}/icons/hicolor/16x16/apps/huntaze.png ${iconset}/icon_16x16.png
                     COMMAND ${CMAKE_COMMAND} -E copy ${packaging_out}/icons/hicolor/32x32/apps/huntaze.png ${iconset}/icon_16x16@2x.png
                     COMMAND ${CMAKE_COMMAND} -E copy ${packaging_out}/icons/hicolor/32x32/apps/huntaze.png ${iconset}/icon_32x32.png
                     COMMAND ${CMAKE_COMMAND} -E copy ${packaging_out}/icons/hicolor/64x64/apps/huntaze.png ${iconset}/icon_32x32@2x.png
                     COMMAND ${CMAKE_COMMAND} -E copy ${packaging_out}/icons/hicolor/128x128/apps/huntaze.png ${iconset}/icon_128x128.png
                     COMMAND ${CMAKE_COMMAND} -E copy ${packaging_out}/icons/hicolor/256x256/apps/huntaze.png ${iconset}/icon_128x128@2x.png
                     COMMAND ${CMAKE_COMMAND} -E copy ${packaging_out}/icons/hicolor/256x256/apps/huntaze.png ${iconset}/icon_256x256.png
                     COMMAND ${CMAKE_COMMAND} -E copy ${packaging_out}/icons/hicolor/512x512/apps/huntaze.png ${iconset}/icon_256x256@2x.png
                     COMMAND ${CMAKE_COMMAND} -E copy ${packaging_out}/icons/hicolor/512x512/apps/huntaze.png ${iconset}/icon_512x512.png
                     COMMAND iconutil -c icns -o ${packaging_out}/huntaze.icns ${iconset}
                     DEPENDS huntaze-icons VERBATIM)
  add_custom_target(huntaze-icns ALL DEPENDS ${packaging_out}/huntaze.icns)
  install(FILES ${packaging_out}/huntaze.icns DESTINATION Huntaze.app/Contents/Resources
          COMPONENT desktop)
  find_program(MACDEPLOYQT macdeployqt HINTS ${Qt6_DIR}/../../../bin)
  install(CODE "execute_process(COMMAND \"${MACDEPLOYQT}\" \"\${CMAKE_INSTALL_PREFIX}/Huntaze.app\"
                  \"-executable=\${CMAKE_INSTALL_PREFIX}/${macos_dir}/huntaze-relay\"
                  \"-executable=\${CMAKE_INSTALL_PREFIX}/${macos_dir}/huntaze-sandbox\"
                  -always-overwrite COMMAND_ERROR_IS_FATAL ANY)" COMPONENT desktop)
endif()

# --- CPack: what every generator shares.
set(CPACK_PACKAGE_NAME huntaze)
set(CPACK_PACKAGE_VENDOR Huntaze)
set(CPACK_PACKAGE_CONTACT "${HUNTAZE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${HUNTAZE_HOMEPAGE}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY Huntaze)
set(CPACK_STRIP_FILES ON)
set(CPACK_PROJECT_CONFIG_FILE ${packaging_dir}/cpack-project-config.cmake)
set(CPACK_SYSTEM_PROCESSOR ${CMAKE_SYSTEM_PROCESSOR})
set(CPACK_COMPONENTS_ALL desktop relay)
set(CPACK_COMPONENT_DESKTOP_DISPLAY_NAME "Huntaze")
set(CPACK_COMPONENT_RELAY_DISPLAY_NAME "Huntaze relay")
set(CPACK_COMPONENT_DESKTOP_DESCRIPTION
    "publish to TikTok, Instagram, Reddit and X from the desktop
Huntaze is a desktop app for content creators: connect TikTok, Instagram,
Reddit and X accounts, publish videos and photos from local files (checked
against each platform's rules first), follow the publishing queue, and keep
everything the platforms report back in one PostgreSQL database.
.
Includes a sandbox mode (with huntaze-relay installed) to try everything
without any developer account.")
set(CPACK_COMPONENT_RELAY_DESCRIPTION
    "server half of Huntaze: webhooks, OAuth broker, background sync
The Huntaze relay receives the platforms' webhooks, holds the app secrets,
brokers OAuth for the desktops, keeps their tokens sealed in PostgreSQL and
runs the background sync of posts, comments and insights.
.
Runs as the huntaze-relay systemd service (as the user of the same name) with
its settings in /etc/huntaze-relay/relay.conf; the first run is described in
/usr/share/doc/huntaze-relay/FIRST-RUN.")

# DEB: one .deb per component, dependencies from dpkg-shlibdeps.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${HUNTAZE_PACKAGE_RELEASE})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_DESKTOP_PACKAGE_NAME huntaze)
set(CPACK_DEBIAN_DESKTOP_PACKAGE_SECTION video)
# Sandbox mode starts huntaze-relay and a private PostgreSQL; the keychain needs a
# Secret Service (or KWallet) provider.
set(CPACK_DEBIAN_DESKTOP_PACKAGE_RECOMMENDS
    "huntaze-relay (= ${PROJECT_VERSION}-${HUNTAZE_PACKAGE_RELEASE}), postgresql, gnome-keyring | kwalletmanager")
set(CPACK_DEBIAN_RELAY_PACKAGE_NAME huntaze-relay)
set(CPACK_DEBIAN_RELAY_PACKAGE_SECTION net)
set(CPACK_DEBIAN_RELAY_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_RELAY_PACKAGE_SUGGESTS "postgresql")
set(CPACK_DEBIAN_RELAY_PACKAGE_CONTROL_EXTRA
    "${packaging_dir}/relay/debian/conffiles;${packaging_dir}/relay/debian/postinst;${packaging_dir}/relay/debian/prerm;${packaging_dir}/relay/debian/postrm")
set(CPACK_DEBIAN_RELAY_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# RPM: one .rpm per component; rpmbuild's automatic soname Requires, plus what a soname
# cannot say.
set(CPACK_RPM_COMPONENT_INSTALL ON)
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_RELEASE ${HUNTAZE_PACKAGE_RELEASE})
set(CPACK_RPM_PACKAGE_LICENSE "${HUNTAZE_LICENSE_RPM}")
set(CPACK_RPM_PACKAGE_URL "${HUNTAZE_HOMEPAGE}")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_PACKAGE_AUTOPROV OFF)
set(CPACK_RPM_PACKAGE_RELOCATABLE OFF)
# No build-id links or debuginfo package: they would clash between the two packages.
set(CPACK_RPM_SPEC_MORE_DEFINE "%define _build_id_links none
%define debug_package %{nil}")
# Folders other packages own (systemd, hicolor-icon-theme, ...): not claimed by ours.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /usr/lib/systemd /usr/lib/systemd/system /usr/lib/sysusers.d /usr/share/applications
    /usr/share/icons /usr/share/icons/hicolor /usr/share/metainfo)
foreach(size IN LISTS icon_sizes ITEMS scalable)
  if(size MATCHES "^[0-9]+$")
    set(size ${size}x${size})
  endif()
  list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
       /usr/share/icons/hicolor/${size} /usr/share/icons/hicolor/${size}/apps)
endforeach()
set(CPACK_RPM_DESKTOP_PACKAGE_NAME huntaze)
set(CPACK_RPM_DESKTOP_PACKAGE_GROUP "Applications/Multimedia")
set(CPACK_RPM_DESKTOP_PACKAGE_SUMMARY "Publish to TikTok, Instagram, Reddit and X from the desktop")
# The xcb platform plugin is in qt6-qtbase-gui, which no soname pulls in.
set(CPACK_RPM_DESKTOP_PACKAGE_REQUIRES "qt6-qtbase-gui")
set(CPACK_RPM_DESKTOP_PACKAGE_SUGGESTS "huntaze-relay, postgresql-server")
set(CPACK_RPM_RELAY_PACKAGE_NAME huntaze-relay)
set(CPACK_RPM_RELAY_PACKAGE_GROUP "System Environment/Daemons")
set(CPACK_RPM_RELAY_PACKAGE_SUMMARY "Server half of Huntaze: webhooks, OAuth broker, background sync")
set(CPACK_RPM_RELAY_PACKAGE_REQUIRES_PRE "shadow-utils")
set(CPACK_RPM_RELAY_PRE_INSTALL_SCRIPT_FILE ${packaging_dir}/relay/rpm/pre.sh)
set(CPACK_RPM_RELAY_POST_INSTALL_SCRIPT_FILE ${packaging_dir}/relay/rpm/post.sh)
set(CPACK_RPM_RELAY_PRE_UNINSTALL_SCRIPT_FILE ${packaging_dir}/relay/rpm/preun.sh)
set(CPACK_RPM_RELAY_POST_UNINSTALL_SCRIPT_FILE ${packaging_dir}/relay/rpm/postun.sh)
set(CPACK_RPM_RELAY_USER_FILELIST
    "%config(noreplace) %attr(0640,root,huntaze-relay) /etc/huntaze-relay/relay.conf"
    "%dir %attr(0750,root,huntaze-relay) /etc/huntaze-relay/secrets")

# TGZ: one archive per component (the same tree as the packages, rooted at /usr).
set(CPACK_ARCHIVE_COMPONENT_INSTALL ON)

if(WIN32)
  set(CPACK_GENERATOR NSIS ZIP)
  set(CPACK_COMPONENTS_ALL desktop)
  set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
  set(CPACK_PACKAGE_EXECUTABLES huntaze Huntaze)
  set(CPACK_NSIS_PACKAGE_NAME Huntaze)
  set(CPACK_NSIS_DISPLAY_NAME Huntaze)
  set(CPACK_NSIS_MUI_ICON ${packaging_out}/icons/huntaze.ico)
  set(CPACK_NSIS_MUI_UNIICON ${packaging_out}/icons/huntaze.ico)
  set(CPACK_NSIS_INSTALLED_ICON_NAME bin\\\\huntaze.exe)
  set(CPACK_NSIS_URL_INFO_ABOUT "${HUNTAZE_HOMEPAGE}")
  set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
  set(CPACK_NSIS_EXECUTABLES_DIRECTORY bin)
elseif(APPLE)
  set(CPACK_GENERATOR DragNDrop)
  set(CPACK_COMPONENTS_ALL desktop)
  set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
  set(CPACK_DMG_VOLUME_NAME Huntaze)
  set(CPACK_DMG_FORMAT UDZO)
  set(CPACK_PACKAGE_FILE_NAME Huntaze-${PROJECT_VERSION}-macOS)
else()
  set(CPACK_GENERATOR DEB RPM TGZ)
endif()

include(CPack)
