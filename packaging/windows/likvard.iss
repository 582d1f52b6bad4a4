; Inno Setup script for the Windows installer (Inno Setup 6). Built on Windows, not on the Linux CI:
;   python packaging\build.py bundle          (dist\likvard\likvard.exe, the PyInstaller one-folder bundle)
;   iscc /DAppVersion=0.1.0 packaging\windows\likvard.iss   -> dist\likvard-0.1.0-setup.exe
; Per-machine install under Program Files (IT departments deploy it silently: likvard-0.1.0-setup.exe
; /VERYSILENT /SUPPRESSMSGBOXES /NORESTART), a start-menu entry, an uninstaller, and Likvärd offered in
; "Open with" for checklist templates (*.likvard-template.json; Windows associates by the last extension
; only, so .json files keep their own default program).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Likvärd"
#define AppExe "likvard.exe"
#define ProgId "Likvard.Template"

[Setup]
AppId={{6B0E8F3A-4C1D-4E52-9A57-2D1C8E4B7F10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Likvärd team
AppPublisherURL=https://likvard.se/
DefaultDirName={autopf}\Likvard
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=likvard-{#AppVersion}-setup
SetupIconFile=..\icons\likvard.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "swedish"; MessagesFile: "compiler:Languages\Swedish.isl"
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\likvard\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; IconFilename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; The file type: "Likvärd checklist", opened by importing it (likvard templates import <file>).
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Likvärd checklist"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" templates import ""%1"""
; Offered in "Open with" for .json (never the default: other JSON files keep their program).
Root: HKA; Subkey: "Software\Classes\.json\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".json"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; the program folder only: the cases (the user's data folder) stay when the program is removed
Type: filesandordirs; Name: "{app}\_internal"
