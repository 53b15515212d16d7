// Package firmware knows the Cisco 7940G/7960G load names, which files each
// release needs on the TFTP server, which of them a TFTP root holds, and the
// order in which a phone must be stepped from its current load to a target.
//
// It reads and writes files but renders no configuration: the callers write
// SIPDefault.cnf, OS79XX.TXT and the XML files from what it reports.
//
// Sources (cited again where a rule is used):
//
//   - MATRIX: Cisco IP Phone 7960 and 7940 Firmware Upgrade Matrix,
//     https://cisco.com/en/US/docs/voice_ip_comm/cuipph/7960g_7940g/mgcp/firmware/matrix/frmwrup.html
//   - CME-INST: Cisco Unified CME, Install and Upgrade (upgrade sequence,
//     signed loads, SCCP 5.x before SIP),
//     https://www.cisco.com/c/en/us/td/docs/voice_ip_comm/cucme/admin/configuration/manual/cmeadm/cmeinstl.html
//   - CCME-68244: Cisco doc 68244, signed .sbn versus unsigned .bin,
//     https://cisco.com/c/en/us/support/docs/voice-unified-communications/unified-communications-manager-express/68244-PhoneLoadUpgradeCCME.html
//   - TN5455: Cisco doc 5455, SCCP to SIP and back,
//     http://www.cisco.com/c/en/us/support/docs/collaboration-endpoints/unified-ip-phone-7900-series/5455-handset-to-sip.html
//   - README-SCCP: Cisco 7940/7960 SCCP 8.0(10) readme ("All ... loads 5.0
//     and newer are signed"),
//     https://www.cisco.com/web/software/282074289/23277/cmterm-7940-7960-sccp.8-0-10-readme.html
//   - README-SIP811: Cisco 7940/7960 SIP 8.11 readme (load P0S3-08-11-00),
//     https://www.cisco.com/web/software/282074288/25271/cmterm-7940-7960-sip-8.11-readme.html
//   - HOWTO: cat24.net "Cisco 7940 & 7960 IP Phones - How To Upgrade",
//     http://cat24.net/Cisco_Sip_Phones.html (P003AM30 path, 8.3 names,
//     comment-free SIPDefault.cnf)
//   - IPF: 7.3 to 7.4 TFTP log (.bin files not requested),
//     https://ip-phone-forum.de/threads/neue-sip-version-7-4-fuer-cisco-7960-und-7940.71653/post-343090
//   - DOES: 7.5 bundle listing,
//     https://github.com/DoESLiverpool/somebody-should/wiki/Cisco-IP-Phone-7960
//   - TEO: 8.12 bundle listing and TFTP log,
//     https://tdtemcerts.blogspot.com/2020/12/teo-en-mings-guide-to-configuring_24.html
//   - CISCO-VOIP: cisco-voip list, 2005, "SIP 2.x images have a limit on file
//     name length", https://puck.nether.net/pipermail/cisco-voip/2005-January/002720.html
package firmware
