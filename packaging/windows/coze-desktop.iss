; Inno Setup 6 script: a per-user installer for Coze Desktop (no administrator rights needed).
;
; Build the app first (python packaging\build.py), then from the repository root:
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\coze-desktop.iss
; Output: dist\coze-desktop-<version>-windows-x64-setup.exe
; build.py runs ISCC itself when it finds it and passes the version from desktop\__init__.py.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Coze Desktop"
#define AppExe "coze-desktop.exe"
#define SourceDir "..\..\dist\coze-desktop"

[Setup]
; A fixed AppId lets later versions upgrade this install in place. Never change it.
AppId={{7C3B2E51-6A0F-4C8E-9D3A-2F6B8E4C1A90}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Coze Desktop contributors
VersionInfoVersion={#AppVersion}
; Per-user: installs under %LOCALAPPDATA%\Programs, shortcuts in the user's Start menu.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
SetupIconFile=..\..\resources\icons\coze-desktop.ico
OutputDir=..\..\dist
OutputBaseFilename=coze-desktop-{#AppVersion}-windows-x64-setup
Compression=lzma2/ultra64
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "zh_CN"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{#AppName} (demo bot)"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; Chat history, settings and logs (%LOCALAPPDATA%\CozeDesktop) and tokens in the Windows
; Credential Manager are the user's data: the uninstaller leaves them. See README.md.
