"""Fidelity: records checked by hand against their published text.

Each expectation below was written by reading the record's published fields
(``cach_thuc_thuc_hien``, ``thanh_phan_ho_so``, ``can_cu_phap_ly``, or the
structured file's tables) and writing down what a person reads there:
channels with their processing time and fee (VND amount, or amount and
currency), documents with their number of originals and copies, form
templates, legal bases (number and title). 46 records: every ``ministry``
of procedures.jsonl (all three of toa-an-nhan-dan) and the structured file.
The test runs the importer on the project's seed (``knowledge/data``).
"""

# ruff: noqa: E501  (the expectations are the published text, written out literally)

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy.orm import Session

from knowledge.models import Procedure
from knowledge.queries import procedure_with_details

Fee = int | tuple[float, str] | None  # VND amount (0: free), (amount, currency), None: not stated


@dataclass(frozen=True)
class Expected:
    """What the published record says, read by a person."""

    code: str
    ministry: str
    channels: list[tuple[str, float | None, str | None, Fee]]
    documents: list[tuple[str, int | None, int | None]]
    legal_bases: list[tuple[str | None, str | None]]
    templates: list[str] = field(default_factory=list)


# fmt: off
EXPECTED: list[Expected] = [
    # bo-cong-an
    Expected(
        '1.001226',
        'bo-cong-an',
        channels=[('truc_tiep', 1, 'working_days', (10, 'USD'))],
        documents=[('Tờ khai đề nghị cấp giấy phép đến các tỉnh, thành phố của Việt Nam (mẫu N24 ban hành kèm theo Thông tư số 41/2011/TT-BCA, ngày 29/06/2011 của Bộ Công an)', 1, 0), ('Giấy thông hành biên giới của người đề nghị cấp giấy phép', 1, 0)],
        templates=['TK de nghi cap GP den cac tinh tp cua VN(N24).doc'],
        legal_bases=[('25/2021/TT-BTC', 'QUY ĐỊNH MỨC THU, CHẾ ĐỘ THU, NỘP, QUẢN LÝ VÀ SỬ DỤNG PHÍ, LỆ PHÍ TRONG LĨNH VỰC XUẤT CẢNH, NHẬP CẢNH, QUÁ CẢNH, CƯ TRÚ TẠI VIỆT NAM'), ('41/2011/TT-BCA', 'Thông tư 41/2011/TT-BCA')],
    ),
    Expected(
        '1.014225',
        'bo-cong-an',
        channels=[('truc_tuyen', 5, 'working_days', None), ('buu_chinh', 5, 'working_days', None), ('truc_tiep', 5, 'working_days', None)],
        documents=[('Tờ khai đề nghị cấp đổi/cấp lại Giấy chứng nhận đủ điều kiện kinh doanh sản phẩm, dịch vụ phân tích, tổng hợp dữ liệu', 1, 1)],
        legal_bases=[('169/2025/NĐ-CP', 'Nghị định quy định hoạt động khoa học, công nghệ, đổi mới sáng tạo và sản phẩm, dịch vụ về dữ liệu'), ('60/2024/QH15', 'Luật dữ liệu')],
    ),
    Expected(
        '1.004209',
        'bo-cong-an',
        channels=[('truc_tiep', None, None, None)],
        documents=[('Quyết định phong tặng hoặc truy tặng danh hiệu Anh hùng hoặc bản sao Bằng Anh hùng. Trường hợp Anh hùng đã chết mà chưa được hưởng chế độ thì đại diện thân nhân hoặc người thờ cúng lập bản khai theo mẫu AH2, kèm biên bản ủy quyền (mẫu UQ)', 0, 1), ('Bản khai cá nhân (mẫu AH1).', 1, 0), ('Văn bản đề nghị của Công an đơn vị, địa phương', 1, 0)],
        templates=['73-Mẫu AH2-Bản khai (thân nhân hoặc người thờ cúng AHLLVTND).doc', '72-Mẫu AH1-Bản khai cá nhân (anh hùng LLVT).doc'],
        legal_bases=[('04/2012/UBTVQH13', 'Sửa đổi, bổ sung một số điều của Pháp lệnh ưu đãi người có công với cách mạng'), ('05/2013/TT-BLĐTBXH', '05/2013/TT-BLĐTBXH - Hướng dẫn về thủ tục lập hồ sơ, quản lý hồ sơ, thực hiện chế độ ưu đãi người có công với cách mạng và thân nhân'), ('31/2013/NĐ-CP', 'Hướng dẫn Pháp lệnh ưu đãi người có công với cách mạng'), ('26/2005/PL-UBTVQH11', '26/2005/PL-UBTVQH11 - Ưu đãi người có công với cách mạng')],
    ),
    Expected(
        '1.003494',
        'bo-cong-an',
        channels=[('truc_tiep', 3, 'working_days', 5000)],
        documents=[('Tờ khai đề nghị cấp giấy thông hành biên giới (mẫu TK6 ban hành theo Thông tư số 42/2011/TT-BCA, ngày 29/6/2011 của Bộ Công an), có xác nhận và dấu giáp lai ảnh của cơ quan quản lý trực tiếp', 1, 0), ('02 ảnh 4cmx6cm, mặt nhìn thẳng, đầu để trần, phông nền trắng. * Trường hợp cấp lại giấy thông hành biên giới xuất, nhập cảnh do bị mất, ngoài thành phần hồ sơ trên, thì nộp kèm đơn trình báo về việc bị mất giấy thông hành xuất, nhập cảnh vùng biên giới (không cần xác nhận của Công an cấp xã nơi bị mất).', 2, 0), ('Số bộ hồ sơ 01 (một) bộ', 0, 0)],
        templates=['18-Mẫu TK8.doc'],
        legal_bases=[('136/2007/NĐ-CP', 'Về xuất cảnh, nhập cảnh của công dân Việt Nam'), ('43/2011/TT-BCA', 'Thông tư 43/2011/TT-BCA')],
    ),
    Expected(
        '1.002756',
        'bo-cong-an',
        channels=[('truc_tuyen', 3, 'days', (50, 'USD'))],
        documents=[('Ảnh trang nhân thân hộ chiếu được tải lên Trang thông tin cấp thị thực điện tử theo quy định.', 0, 1), ('Ảnh mới chụp của người đề nghị cấp thị thực điện tử, kích cỡ ảnh 4 x 6cm, định dạng jpeg, kích thước ≤ 2 MB, mặt nhìn thẳng, không đội mũ, không đeo kính, trang phục lịch sự, phông ảnh nền trắng', 1, 0), ('Thông tin đề nghị cấp thị thực điện tử (trên Trang thông tin cấp thị thực điện tử hoặc Cổng dịch vụ công quốc gia hoặc Cổng dịch vụ công Bộ Công an) theo mẫu NA1a ban hành kèm theo Thông tư số 22/2023/TT-BCA ngày 30/6/2023 của Bộ Công an.', 1, 0)],
        legal_bases=[('22/2023/TT-BCA', 'Thông tư số 22/2023/TT-BCA'), ('25/2021/TT-BTC', 'QUY ĐỊNH MỨC THU, CHẾ ĐỘ THU, NỘP, QUẢN LÝ VÀ SỬ DỤNG PHÍ, LỆ PHÍ TRONG LĨNH VỰC XUẤT CẢNH, NHẬP CẢNH, QUÁ CẢNH, CƯ TRÚ TẠI VIỆT NAM'), ('47/2014/QH13', 'Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam'), ('23/2023/QH15', 'Luật Xuất cảnh, nhập cảnh của công dân Việt Nam và Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam sửa đổi 2023'), ('51/2019/QH14', 'Luật 51/2019/QH14')],
    ),
    Expected(
        '3.000360',
        'bo-cong-an',
        channels=[('truc_tiep', 5, 'working_days', 0)],
        documents=[('Báo cáo tình hình hoạt động của các cơ sở đào tạo được chấp thuận hoạt động của sân tập lái để sát hạch lái xe mô tô hoặc biên bản vi phạm hoặc Quyết định giải thể', 1, 0), ('Quyết định chấp thuận hoạt động của sân tập lái để sát hạch lái xe mô tô đủ điều kiện hoạt động.', 1, 0)],
        legal_bases=[('160/2024/NĐ-CP', 'Quy định về hoạt động đào tạo và sát hạch lái xe.')],
    ),
    Expected(
        '1.001247',
        'bo-cong-an',
        channels=[('truc_tiep', 7, 'working_days', 0)],
        documents=[('Phiếu thu nhận thông tin căn cước (Mẫu CC01 ban hành kèm theo Thông tư số 17/2024/TT-BCA của Bộ Công an)', 1, 0)],
        templates=['Mẫu CC01 Phiếu thu nhận thông tin căn cước.doc'],
        legal_bases=[('16/2024/TT-BCA', 'Thông tư 16/2024/TT-BCA quy định về mẫu thẻ căn cước, mẫu giấy chứng nhận căn cước'), ('17/2024/TT-BCA', 'Thông tư quy định chi tiết một số điều và biện pháp thi hành Luật Căn cước'), ('18/2024/TT-BCA', 'Thông tư quy định quy định về quy trình cấp, cấp đổi, cấp lại thẻ căn cước, giấy chứng nhận căn cước'), ('70/2024/NĐ-CP', 'Nghị định của Chính phủ: Quy định chi tiết một số điều và biện pháp thi hành Luật Căn cước'), ('26/2023/QH15', 'Luật Căn cước')],
    ),
    # bo-nong-nghiep-mt
    Expected(
        '1.004237',
        'bo-nong-nghiep-mt',
        channels=[('truc_tuyen', 5, 'working_days', 0), ('buu_chinh', 5, 'working_days', 0), ('truc_tiep', 5, 'working_days', 0)],
        documents=[('Mẫu số 03: Mẫu phiếu yêu cầu cung cấp thông tin, dữ liệu tài nguyên và môi trường đối với cá nhân nước ngoài tại Việt Nam.', 1, 0), ('Mẫu số 02: Mẫu văn bản, phiếu yêu cầu cung cấp thông tin, dữ liệu tài nguyên và môi trường.', 1, 0)],
        templates=['Mauso03.docx', 'Mauso02.docx'],
        legal_bases=[('22/2023/NĐ-CP', 'Nghị định số 22/2023/NĐ-CP ngày 12 tháng 5 năm 2023 của Chính phủ sửa đổi, bổ sung một số điều của các nghị định liên quan đến hoạt động kinh doanh trong lĩnh vực tài nguyên và môi trường')],
    ),
    Expected(
        '1.004478',
        'bo-nong-nghiep-mt',
        channels=[('truc_tuyen', 5, None, 0), ('buu_chinh', 5, None, 0), ('truc_tiep', 5, None, 0)],
        documents=[('c) Văn bản thể hiện quyền sử dụng vùng đất của cảng.', 1, 0), ('b) Văn bản thành lập Tổ chức quản lý cảng cá', 1, 0), ('a) Đơn đề nghị công bố mở cảng cá theo Mẫu số 01.CC Phụ lục XII ban hành kèm theo Thông tư số 02/2026/TT-BNNMT ngày 01/01/2026', 1, 0), ('d) Biên bản nghiệm thu đã hoàn thành công trình đưa vào sử dụng cảng cá.', 1, 0)],
        legal_bases=[('146/2025/QH15', 'Luật sửa đổi, bổ sung một số điều của 15 luật trong lĩnh vực nông nghiệp và môi trường'), ('31/2024/QH15', 'Luật Đất đai ngày 18/01/2024'), ('43/2024/QH15', 'Luật số 43/2024/QH15 ngày 29/6/2024'), ('18/2017/QH14', 'Luật'), ('02/2026/TT-BNNMT', 'Thông tư')],
    ),
    Expected(
        '2.001850',
        'bo-nong-nghiep-mt',
        channels=[('truc_tuyen', 29, 'working_days', 0), ('buu_chinh', 29, 'working_days', 0), ('truc_tiep', 29, 'working_days', 0)],
        documents=[('01 bản phương án cắm mốc giới hành lang bảo vệ nguồn nước của hồ chứa thủy điện (nội dung phương án theo quy định khoản 3 Điều 28 Nghị định 53/2024/NĐ-CP).', 1, 0)],
        legal_bases=[('53/2024/NĐ-CP', 'Nghị định số 53/2024/NĐ-CP ngày 16 tháng 5 năm 2024 quy định chi tiết thi hành một số điều của Luật Tài nguyên nước'), ('23/2026/NĐ-CP', 'Nghị định 23/2026/NĐ-CP ngày 17/01/2026 của Chính phủ sửa đổi, bổ sung một số điều của các Nghị định trong lĩnh vực tài nguyên nước.'), ('28/2023/QH15', 'Luật')],
    ),
    Expected(
        '1.000084',
        'bo-nong-nghiep-mt',
        channels=[('truc_tuyen', 25, 'days', 0), ('buu_chinh', 25, 'days', 0), ('truc_tiep', 25, 'days', 0)],
        documents=[('Đề án du lịch sinh thái, nghỉ dưỡng, giải trí trong rừng đặc dụng (bản chính).', 1, 0), ('Đánh giá sơ bộ hiện trạng rừng, khả năng tổ chức thực hiện và các loại sản phẩm, dịch vụ du lịch sinh thái, nghỉ dưỡng, giải trí theo Mẫu số 13 Phụ lục IB ban hành kèm theo Nghị định số 42/2026/NĐ-CP.', 1, 0), ('Tờ trình của chủ rừng theo Mẫu số 14 Phụ lục IB ban hành kèm theo Nghị định số 42/2026/NĐ-CP', 1, 0)],
        templates=['Mẫu số 13.docx', 'Mẫu số 14.docx'],
        legal_bases=[('42/2026/NĐ-CP', 'Sửa đổi, bổ sung một số điều của các Nghị định trong lĩnh vực lâm nghiệp và Kiểm lâm'), ('156/2018/NĐ-CP', 'Nghị định 156/2018/NĐ-CP')],
    ),
    Expected(
        '1.004179',
        'bo-nong-nghiep-mt',
        channels=[('truc_tuyen', 30, 'working_days', 0), ('buu_chinh', 30, 'working_days', 0), ('truc_tiep', 30, 'working_days', 0)],
        documents=[('Văn bản đề nghị cấp giấy phép theo Mẫu 05, Mẫu 07 Phụ lục I, Nghị định số 23/2026/NĐ-CP.', 1, 0), ('Đề án khai thác nước theo Mẫu 42, Mẫu 46 (đối với trường hợp công trình chưa khai thác nước), Mẫu 43, Mẫu 47 (đối với trường hợp công trình đã khai thác nước), Mẫu 44 (đối với trường hợp công trình thủy lợi, công trình cấp nước sạch nông thôn tập trung), Phụ lục I, Nghị định số 23/2026/NĐ-CP.', 1, 0), ('Hồ sơ lấy ý kiến và văn bản tổng hợp tiếp thu, giải trình ý kiến cộng đồng (đối với trường hợp phải lấy ý kiến đại diện cộng đồng dân cư, tổ chức, cá nhân theo quy định tại điểm a và điểm b khoản 1 Điều 3 Nghị định số 54/2024/NĐ-CP, được sửa đổi bởi khoản 2 Điều 2 Nghị định số 23/2026/NĐ-CP).', 1, 0)],
        templates=['Mau05.docx; Mau07.docx', 'Mau46.docx; Mau44.docx; Mau42.docx; Mau43.docx; Mau47.docx'],
        legal_bases=[('136/2025/NĐ-CP', 'Nghị định Quy định phân quyền, phân cấp trong lĩnh vực nông nghiệp'), ('28/2023/QH15', 'Luật'), ('54/2024/NĐ-CP', 'QUY ĐỊNH VIỆC HÀNH NGHỀ KHOAN NƯỚC DƯỚI ĐẤT, KÊ KHAI, ĐĂNG KÝ, CẤP PHÉP, DỊCH VỤ TÀI NGUYÊN NƯỚC VÀ TIỀN CẤP QUYỀN KHAI THÁC TÀI NGUYÊN NƯỚC'), ('23/2026/NĐ-CP', 'Nghị định 23/2026/NĐ-CP ngày 17/01/2026 của Chính phủ sửa đổi, bổ sung một số điều của các Nghị định trong lĩnh vực tài nguyên nước.'), ('14/2025/TT-BNNMT', '14/2025/TT-BNNMT')],
    ),
    Expected(
        '1.004241',
        'bo-nong-nghiep-mt',
        channels=[('truc_tuyen', 5, 'working_days', 0), ('buu_chinh', 5, 'working_days', 0), ('truc_tiep', 5, 'working_days', 0)],
        documents=[('Mẫu số 02: Mẫu văn bản, phiếu yêu cầu cung cấp thông tin, dữ liệu tài nguyên và môi trường', 1, 0), ('Mẫu số 03: Mẫu phiếu yêu cầu cung cấp thông tin, dữ liệu tài nguyên và môi trường đối với cá nhân nước ngoài tại Việt Nam', 1, 0)],
        legal_bases=[('22/2023/NĐ-CP', 'Nghị định số 22/2023/NĐ-CP ngày 12 tháng 5 năm 2023 của Chính phủ sửa đổi, bổ sung một số điều của các nghị định liên quan đến hoạt động kinh doanh trong lĩnh vực tài nguyên và môi trường')],
    ),
    # bo-tai-chinh
    Expected(
        '1.009063',
        'bo-tai-chinh',
        channels=[('truc_tuyen', 1, 'hours', 0)],
        documents=[('Thông tin về khách hàng và hàng hóa khách mua', 1, 0)],
        legal_bases=[],
    ),
    Expected(
        '3.000139',
        'bo-tai-chinh',
        channels=[('buu_chinh', 3, 'days', 0), ('truc_tiep', 3, 'days', 0)],
        documents=[('Mẫu số 06/VBTBCĐƯT Phụ lục IV ban hành kèm theo Thông tư số 42/2020/TT-BTC về việc đề nghị từ bỏ chế độ ưu tiên. - Mẫu thông báo số 08/VBTBKPĐKCĐƯT Phụ lục IV ban hành kèm theo Thông tư số 42/2020/TT-BTC về các điều kiện mà doanh nghiệp không còn đáp ứng; - Mẫu thông báo số 09/VBTBĐĐƯCĐƯT Phụ lục IV ban hành kèm theo Thông tư số 42/2020/TT-BTC về việc khắc phục các điều kiện không đáp ứng chế độ ưu tiên. - Chứng từ chứng minh đã khắc phục các điều kiện không đáp ứng chế độ ưu tiên.', 1, 1)],
        legal_bases=[('46/2020', 'Nghị định số 46/2020/NĐ-CP')],
    ),
    Expected(
        '3.000255',
        'bo-tai-chinh',
        channels=[('truc_tuyen', 10, 'working_days', 0), ('buu_chinh', 10, 'working_days', 0), ('truc_tiep', 10, 'working_days', 0)],
        documents=[('Số lượng hồ sơ: 01 bộ đối với trực tuyến (03 bộ đối với trường hợp nộp hồ sơ giấy)', 0, 0), ('Đơn xin xác nhận xe ô tô không tham gia giao thông, không sử dụng đường dành cho giao thông công cộng theo Mẫu số 06 tại Phụ lục II ban hành kèm theo Nghị định số 364/2025/NĐ-CP', 1, 0)],
        legal_bases=[('97/2015/QH13', 'Phí và lệ phí'), ('35/2024/QH15', 'Luật số 35/2024/QH15 của Quốc hội: Luật Đường bộ'), ('364/2025/NĐ-CP', 'Nghị định số 364/2025/NĐ-CP'), ('36/2024/QH15', 'Luật Trật tự, an toàn giao thông đường bộ')],
    ),
    Expected(
        '1.000086',
        'bo-tai-chinh',
        channels=[('truc_tiep', 1, None, 0)],
        documents=[('Văn bản đề nghị được chuyển hàng hóa lạc tuyến đến nước có địa chỉ ghi trên vận tải đơn và danh sách hàng hóa lạc tuyến', 1, 0), ('Đăng ký tờ khai vận chuyển độc lập đối với hàng hóa lạc tuyến quốc tế theo quy định tại Điều 17 Thông tư số 191/2015/TT-BTC (Tờ khai Phụ lục II ban hành kèm theo Thông tư số 38/2015/TT-BTC', 1, 0)],
        legal_bases=[('54/2014/QH13', 'Luật 54/2014/QH13'), ('38/2015/TT-BTC', 'Quy định về thủ tục hải quan; kiểm tra, giám sát hải quan; thuế xuất khẩu thuế nhập khẩu và quản lý thuế đối vớỉ hàng hoá xuất khẩu, nhập khẩu.'), ('08/2015/NĐ-CP', 'Nghị định 08/2015/NĐ-CP'), ('187/2013/NĐ-CP', 'Nghị định số 187/2013/NĐ-CP'), ('191/2015/TT-BTC', 'Thông tư 191/2015/TT-BTC')],
    ),
    Expected(
        '3.000049',
        'bo-tai-chinh',
        channels=[('buu_chinh', 7, 'working_days', 0), ('truc_tiep', 7, 'working_days', 0)],
        documents=[('Dự thảo Hợp đồng giữa Đối tượng được bảo lãnh và Ngân hàng phục vụ, trong đó quy định rõ trách nhiệm, nghĩa vụ của các bên liên quan (phù hợp với các quy định về trách nhiệm của Đối tượng được bảo lãnh và Ngân hàng phục vụ tại Nghị định 91/2018/NĐ-CP ngày 26/6/2018)', 1, 0), ('Văn bản đề nghị lựa chọn Ngân hàng phục vụ của Đối tượng được bảo lãnh (bản chính)', 1, 0), ('Tài liệu chứng minh Ngân hàng phục vụ đủ điều kiện theo quy định tại Khoản 2 Điều này (tài liệu được công bố chính thức hoặc bản sao có chứng thực).', 0, 1)],
        legal_bases=[],
    ),
    Expected(
        '1.007881',
        'bo-tai-chinh',
        channels=[('truc_tiep', 1, None, 0)],
        documents=[('Xuất trình giấy phép của cơ quan quản lý chuyên ngành khi tạm nhập 01 bản chính (nếu có).', 0, 0), ('Văn bản đề nghị xin tái xuất (01 bản chính)', 0, 0), ('Văn bản đề nghị xin tái xuất (01 bản chính)', 0, 0)],
        legal_bases=[('08/2015/NĐ-CP', 'Nghị định 08/2015/NĐ-CP'), ('54/2014/QH13', 'Luật 54/2014/QH13'), ('38/2015/TT-BTC', 'Quy định về thủ tục hải quan; kiểm tra, giám sát hải quan; thuế xuất khẩu thuế nhập khẩu và quản lý thuế đối vớỉ hàng hoá xuất khẩu, nhập khẩu.')],
    ),
    # bo-tu-phap
    Expected(
        '1.013812',
        'bo-tu-phap',
        channels=[('truc_tuyen', 1, None, 0), ('buu_chinh', 1, None, 0), ('truc_tiep', 1, None, 0)],
        documents=[('Giấy đề nghị thay đổi nơi tập sự hành nghề công chứng (Mẫu TP-TSCC-03 ban hành kèm theo Thông tư số 06/2025/TT-BTP).', 1, 0), ('Giấy đề nghị đăng ký tập sự hành nghề công chứng theo Mẫu TP-TSCC-01a hoặc Mẫu TP-TSCC-01b ban hành kèm theo Thông tư số 06/2025/TT-BTP.', 1, 0), ('Bản chính hoặc bản sao có chứng thực hoặc bản sao điện tử Giấy chứng nhận tốt nghiệp khoá đào tạo nghề công chứng hoặc quyết định công nhận tương đương đối với người được đào tạo nghề công chứng ở nước ngoài.', 1, 0), ('Quyết định xoá đăng ký tập sự hành nghề công chứng của Sở Tư pháp nơi đã đăng ký tập sự theo Mẫu TP-TSCC-04 ban hành kèm theo Thông tư số 06/2025/TT-BTP.', 1, 0)],
        templates=['Mẫu TP-TSCC-03.docx', 'Mẫu TP-TSCC-01a.docx; Mẫu TP-TSCC-01b.docx', 'Mẫu TP-TSCC-04.docx'],
        legal_bases=[('06/2025/TT-BTP', 'Thông tư 06/2025/TT-BTP quy định về tập sự hành nghề công chứng')],
    ),
    Expected(
        '1.001600',
        'bo-tu-phap',
        channels=[('truc_tuyen', 3, 'working_days', 0), ('buu_chinh', 3, 'working_days', 0), ('truc_tiep', 3, 'working_days', 0)],
        documents=[('Văn bản đề nghị điều chỉnh thông tin đăng ký hành nghề quản lý, thanh lý tài sản.', 1, 0)],
        legal_bases=[('65/2026/NĐ-CP', 'Nghị định số 65/2026/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Phục hồi, phá sản về Quản tài viên và hành nghề quản lý, thanh lý tài sản'), ('142/2025/QH15', 'Luật Phục hồi, phá sản')],
    ),
    Expected(
        '2.002196',
        'bo-tu-phap',
        channels=[('truc_tuyen', 1, None, 0), ('buu_chinh', 1, None, 0), ('truc_tiep', 1, None, 0)],
        documents=[('Các giấy tờ, tài liệu là thành phần hồ sơ yêu cầu bồi thường.', 0, 1)],
        legal_bases=[('66.7/2025/NQ-CP', 'Nghị quyết số 66.7/2025/NQ-CP của Chính phủ: Quy định cắt giảm, đơn giản hóa thủ tục hành chính dựa trên dữ liệu'), ('08/2025/TT-BTP', 'Thông tư số 08/2025/TT-BTP ngày 12/6/2025 của Bộ trưởng Bộ Tư pháp quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp và phân cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp')],
    ),
    Expected(
        '2.000992',
        'bo-tu-phap',
        channels=[('truc_tiep', None, None, 10000)],
        documents=[('Bản dịch và giấy tờ, văn bản cần dịch.', 1, 0)],
        legal_bases=[('23/2015/NĐ-CP', 'Về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch'), ('226/2016/TT-BTC', 'Thông tư 226/2016/TT-BTC'), ('280/2025/NĐ-CP', 'Nghị định số 280/2025/NĐ-CP sửa đổi, bổ sung một số điều của Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch, được sửa đổi, bổ sung bởi Nghị định số 07/2025/NĐ-CP'), ('01/2020/TT-BTP', 'Thông tư 01/2020/TT-BTP')],
    ),
    Expected(
        '1.000588',
        'bo-tu-phap',
        channels=[('truc_tuyen', 5, 'working_days', 0), ('buu_chinh', 5, 'working_days', 0), ('truc_tiep', 5, 'working_days', 0)],
        documents=[('Bản chính Giấy đăng ký hoạt động của Trung tâm tư vấn pháp luật, Chi nhánh', 1, 0), ('Quyết định về việc cử Giám đốc Trung tâm, Trưởng Chi nhánh trong trường hợp thay đổi Giám đốc Trung tâm, Trưởng Chi nhánh', 1, 0), ('Hồ sơ đề nghị cấp Thẻ tư vấn viên pháp luật, hồ sơ của luật sư trong trường hợp bổ sung tư vấn viên pháp luật, luật sư. Sở Tư pháp xem xét, cấp Thẻ tư vấn viên pháp luật cho người được đề nghị', 1, 0), ('Giấy xác nhận trụ sở mới của Trung tâm, Chi nhánh trong trường hợp thay đổi trụ sở', 1, 0)],
        legal_bases=[('03/2024/TT-BTP', 'Thông tư số 03/2024/TT-BTP ngày 15/5/2024 của Bộ trưởng Bộ Tư pháp sửa đổi, bổ sung 08 thông tư liên quan đến thủ tục hành chính trong lĩnh vực bổ trợ tư pháp.'), ('30/2025/TT-BTP', 'Thông tư sửa đổi một số thủ tục hành chính quy định tại các thông tư trong lĩnh vực bổ trợ tư pháp'), ('01/2010/TT-BTP', 'Thông tư 01/2010/TT-BTP'), ('19/2011/TT-BTP', 'Thông tư số 19/2011/TT-BTP'), ('77/2008/NĐ-CP', 'Nghị định 77/2008/NĐ-CP')],
    ),
    # bo-xay-dung
    Expected(
        '1.002894',
        'bo-xay-dung',
        channels=[('truc_tuyen', 7, 'working_days', 0), ('buu_chinh', 7, 'working_days', 0), ('truc_tiep', 7, 'working_days', 0)],
        documents=[('Văn bản đề nghị theo mẫu quy định', 1, 0), ('Bản sao hợp đồng hợp tác liên quan trực tiếp đến quyền vận chuyển hàng không.', 0, 1)],
        templates=['HK-84.doc'],
        legal_bases=[('61/2014/QH13', 'Luật 61/2014/QH13'), ('66/2006/QH11', 'LUẬT HÀNG KHÔNG DÂN DỤNG VIỆT NAM'), ('81/2014/TT-BGTVT', 'Quy định về việc vận chuyển hàng không và hoạt động hàng không chung')],
    ),
    Expected(
        '2.001037',
        'bo-xay-dung',
        channels=[('truc_tuyen', 5, 'working_days', 0), ('buu_chinh', 5, 'working_days', 0), ('truc_tiep', 5, 'working_days', 0)],
        documents=[('Bản sao Điều lệ vận chuyển.', 1, 0), ('Văn bản đề nghị theo mẫu', 1, 0)],
        templates=['HK-90.doc'],
        legal_bases=[('81/2014/TT-BGTVT', 'Quy định về việc vận chuyển hàng không và hoạt động hàng không chung'), ('61/2014/QH13', 'Luật 61/2014/QH13'), ('66/2006/QH11', 'LUẬT HÀNG KHÔNG DÂN DỤNG VIỆT NAM')],
    ),
    Expected(
        '6.003636',
        'bo-xay-dung',
        channels=[('truc_tiep', 15, 'days', 0), ('truc_tuyen', 15, 'days', 0), ('buu_chinh', 15, 'days', 0)],
        documents=[('Tờ trình đề nghị chấp thuận nhà đầu tư theo Mẫu số 05 quy định tại Phụ lục ban hành kèm theo Nghị định số 98/2024/NĐ-CP ngày 25/7/2024 của Chính phủ quy định chi tiết một số điều của Luật Nhà ở về cải tạo, xây dựng lại nhà chung cư', 1, 0), ('Hồ sơ mời quan tâm, kết quả phê duyệt hồ sơ mời quan tâm', 1, 0), ('Các tài liệu liên quan khác trong quá trình tổ chức, đánh giá hồ sơ mời quan tâm', 1, 0)],
        legal_bases=[('27/2023/QH15', 'Luật Nhà ở số 27/2023/QH15'), ('98/2024/NĐ-CP', 'Nghị định')],
    ),
    Expected(
        '1.009457',
        'bo-xay-dung',
        channels=[('truc_tuyen', 12, 'working_days', 100000), ('buu_chinh', 5, 'working_days', 100000), ('truc_tiep', 5, 'working_days', 100000)],
        documents=[('Văn bản báo cáo Bộ Xây dựng.', 1, 0), ('Bản sao giấy chứng nhận phù hợp an ninh cảng thủy nội địa tiếp nhận phương tiện thủy nước ngoài (đối với cảng thủy nội địa tiếp nhận phương tiện thủy nước ngoài).', 0, 1), ('Đơn đề nghị công bố hoạt động cảng thủy nội địa theo mẫu', 1, 0)],
                legal_bases=[('08/2021/NĐ-CP', 'Quy định về quản lý hoạt động đường thủy nội địa'), ('198/2016/TT-BTC', 'Quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí, lệ phí trong lĩnh vực đường thủy nội địa và đường sắt')],
    ),
    Expected(
        '6.006588',
        'bo-xay-dung',
        channels=[('truc_tiep', None, None, None), ('truc_tuyen', None, None, None), ('buu_chinh', None, None, None)],
        documents=[('Tờ trình đề nghị phê duyệt điều chỉnh quy hoạch; + Báo cáo tổng hợp và báo cáo tóm tắt điều chỉnh quy hoạch đã được hoàn thiện; + Báo cáo kết quả thẩm định; + Dự thảo Quyết định phê duyệt điều chỉnh quy hoạch; + Các tài liệu khác (nếu có).', 1, 0)],
        legal_bases=[('56/2019/NĐ-CP', 'Quy định chi tiết thi hành một số điều liên quan đến lĩnh vực giao thông vận tải trong luật sửa đổi, bổ sung một số điều của 37 luật có liên quan đến quy hoạch'), ('33/2025/NĐ-CP', 'Nghị định quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Xây dựng')],
    ),
    Expected(
        '1.013071',
        'bo-xay-dung',
        channels=[('truc_tuyen', None, None, 0), ('buu_chinh', None, None, 0), ('truc_tiep', 5, 'working_days', 0)],
        documents=[('Văn bản đề nghị cấp chứng chỉ đăng kiểm viên theo mẫu', 1, 1), ('Văn bản đề nghị cấp chứng chỉ đăng kiểm viên theo mẫu', 1, 0), ('Lý lịch chuyên môn theo mẫu', 1, 0)],
        legal_bases=[('45/2024/TT-BGTVT', 'Quy định về cấp mới, cấp lại, tạm đình chỉ, thu hồi chứng chỉ đăng kiểm viên phương tiện giao thông đường bộ'), ('71/2025/TT-BXD', 'Thông tư sửa đổi, bổ sung một số điều của các Thông tư để cắt giảm, đơn giản hóa thủ tục hành chính trong lĩnh vực đăng kiểm đường bộ, hàng không dân dụng và thanh tra thuộc phạm vi quản lý của Bộ Xây dựng')],
    ),
    Expected(
        '1.004706',
        'bo-xay-dung',
        channels=[('truc_tuyen', 8, 'working_days', 0), ('buu_chinh', 8, 'working_days', 0), ('truc_tiep', 8, 'working_days', 0)],
        documents=[('Bản sao hoặc bản sao điện tử sơ đồ bản vẽ chi tiết khu vực đóng tạm thời', 0, 1), ('Bản sao hoặc bản sao điện tử phương án bảo đảm duy trì hoạt động liên quan đến công trình đóng tạm thời', 0, 1), ('Tờ trình xin phép đóng cửa tạm thời một phần kết cấu hạ tầng cảng hàng không, sân bay bao gồm các thông tin: lý do đóng tạm thời; vị trí và phạm vi đóng tạm thời; thời gian đóng tạm thời phù hợp với quy định thông báo tin tức hàng không', 1, 0), ('Bản sao hoặc bản sao điện tử biện pháp đảm bảo an ninh, an toàn liên quan đến công trình đóng tạm thời.', 1, 1)],
        legal_bases=[('66/2006/QH11', 'LUẬT HÀNG KHÔNG DÂN DỤNG VIỆT NAM'), ('64/2022/NĐ-CP', 'Nghị định 64/2022/NĐ-CP'), ('05/2021/NĐ-CP', 'Nghị định 05/2021/NĐ-CP'), ('61/2014/QH13', 'Luật 61/2014/QH13'), ('14/2026/NĐ-CP', 'sửa đổi, bổ sung một số điều của các Nghị định để cắt giảm, đơn giản hóa thủ tục hành chính liên quan đến hoạt động sản xuất, kinh doanh thuộc phạm vi quản lý của Bộ Xây dựng')],
    ),
    # ngan-hang-nha-nuoc
    Expected(
        '1.012683',
        'ngan-hang-nha-nuoc',
        channels=[('buu_chinh', 12, 'working_days', 0), ('truc_tiep', 12, 'working_days', 0)],
        documents=[('Văn bản đề nghị sửa đổi mức vốn điều lệ tại Giấy phép, trong đó báo cáo về tỷ lệ góp vốn của thành viên góp vốn sau khi góp vốn kèm tài liệu chứng minh việc chủ sở hữu, thành viên góp vốn đã góp vốn để tăng vốn điều lệ', 1, 0)],
        legal_bases=[('32/2024/QH15', 'Luật Các tổ chức tín dụng'), ('50/2025/TT-NHNN', '50/2025/TT-NHNN')],
    ),
    Expected(
        '1.000867',
        'ngan-hang-nha-nuoc',
        channels=[('truc_tuyen', 15, 'days', 0), ('buu_chinh', 15, 'days', 0), ('truc_tiep', 15, 'days', 0)],
        documents=[('Văn bản đề nghị áp dụng tỷ lệ dự trữ bắt buộc hỗ trợ', 0, 0), ('Văn bản đề nghị áp dụng tỷ lệ dự trữ bắt buộc hỗ trợ', 1, 0)],
        templates=['Phu luc II TT.14.docx', 'PHỤ LỤC I TT.14.docx'],
        legal_bases=[('14/2018/TT-NHNN', 'Hướng dẫn thực hiện các biện pháp điều hành công cụ chính sách tiền tệ để hỗ trợ các tổ chức tín dụng cho vay phát triển nông nghiệp, nông thôn'), ('74/2025/TT-NHNN', 'Thông tư số 74/2025/TT-NHNN của Thống đốc Ngân hàng Nhà nước Việt Nam sửa đổi, bổ sung một số điều của Thông tư số 14/2018/TT-NHNN hướng dẫn thực hiện các biện pháp điều hành công cụ chính sách tiền tệ để hỗ trợ các tổ chức tín dụng cho vay phát triển nông nghiệp, nông thôn')],
    ),
    Expected(
        '1.014373',
        'ngan-hang-nha-nuoc',
        channels=[('truc_tuyen', 20, 'working_days', 0), ('buu_chinh', 20, 'working_days', 0), ('truc_tiep', 20, 'working_days', 0)],
        documents=[('1. Đơn đề nghị sửa đổi, bổ sung Giấy phép sản xuất vàng miếng theo mẫu tại Phụ lục số 03', 1, 0), ('2. Hồ sơ, tài liệu chứng minh các nội dung thay đổi theo điểm a khoản 2 Điều 5 Thông tư số 34/2025/TT-NHNN', 1, 0)],
        legal_bases=[('34/2025/TT-NHNN', 'Thông tư hướng dẫn một số điều của Nghị định số 24/2012/NĐ-CP ngày 03 tháng 4 năm 2012 của Chính phủ về quản lý hoạt động kinh doanh vàng được sửa đổi, bổ sung bởi Nghị định số 232/2025/NĐ-CP'), ('232/2025/NĐ-CP', 'Nghị định sửa đổi, bổ sung một số điều của Nghị định số 24/2012/NĐ-CP ngày 03 tháng 4 năm 2012 của Chính phủ về quản lý hoạt động kinh doanh vàng.')],
    ),
    Expected(
        '1.001283',
        'ngan-hang-nha-nuoc',
        channels=[('truc_tuyen', 3, 'working_days', 0), ('truc_tiep', 3, 'working_days', None), ('buu_chinh', 3, 'working_days', None)],
        documents=[('Đề nghị điều chỉnh thông tin ngân hàng theo Phụ lục 03.', 1, 0)],
        templates=['Phụ lục số 03.docx'],
        legal_bases=[('17/2015/TT-NHNN', 'Thông tư 17/2015/TT-NHNN'), ('18/2023/TT-NHNN', 'Thông tư sửa đổi, bổ sung một số điều của Thông tư số 17/2015/TT-NHNN ngày 21 tháng 10 năm 2015 của Thống đốc Ngân hàng Nhà nước Việt Nam quy định về hệ thống mã ngân hàng dùng trong hoạt động, nghiệp vụ ngân hàng'), ('11/2025/TT-NHNN', 'sửa đổi, bổ sung một số điều của Thông tư số 17/2015/TT-NHNN'), ('18/2026/TT-NHNN', 'sửa đổi, bổ sung một số điều của Thông tư số 17/2015/TT-NHNN')],
    ),
    Expected(
        '2.000077',
        'ngan-hang-nha-nuoc',
        channels=[('truc_tuyen', 5, 'working_days', 0), ('buu_chinh', 5, 'working_days', 0), ('truc_tiep', 5, 'working_days', 0)],
        documents=[('1. Văn bản đề nghị việc tự nguyện chấm dứt hoạt động sản xuất vàng trang sức, mỹ nghệ, trong đó nêu rõ lý do.', 1, 0)],
        legal_bases=[('232/2025/NĐ-CP', 'Nghị định sửa đổi, bổ sung một số điều của Nghị định số 24/2012/NĐ-CP ngày 03 tháng 4 năm 2012 của Chính phủ về quản lý hoạt động kinh doanh vàng.'), ('34/2025/TT-NHNN', 'Thông tư hướng dẫn một số điều của Nghị định số 24/2012/NĐ-CP ngày 03 tháng 4 năm 2012 của Chính phủ về quản lý hoạt động kinh doanh vàng được sửa đổi, bổ sung bởi Nghị định số 232/2025/NĐ-CP')],
    ),
    Expected(
        '1.001683',
        'ngan-hang-nha-nuoc',
        channels=[('buu_chinh', 28, 'days', 0), ('truc_tiep', 28, 'days', 0), ('truc_tuyen', 28, 'days', 0)],
        documents=[('Văn bản đề nghị chấp thuận thay đổi nội dung hoạt động theo mẫu tại Phụ lục VI ban hành kèm theo Thông tư số 73/2025/TT-NHNN', 1, 0), ('Quy định nội bộ về quy trình triển khai nghiệp vụ đảm bảo quản lý và kiểm soát rủi ro phát sinh', 1, 0), ('Nghị quyết của Đại hội thành viên thông qua việc thay đổi nội dung hoạt động', 1, 0), ('Phương án triển khai nội dung hoạt động, tối thiểu bao gồm các nội dung: mô tả nội dung, quy trình thực hiện, phân tích hiệu quả và biện pháp phòng ngừa, kiểm soát rủi ro, kế hoạch triển khai thực hiện; phương án xử lý, đảm bảo quy định về các tỷ lệ đảm bảo an toàn trong hoạt động của tổ chức tín dụng là hợp tác xã (trường hợp đề nghị chấp thuận thu hẹp nội dung hoạt động)', 1, 0)],
        templates=['Phụ lục VI.docx'],
        legal_bases=[('32/2024/QH15', 'Luật Các tổ chức tín dụng'), ('73/2025/TT-NHNN', '73/2025/TT-NHNN'), ('15/2026/TT-NHNN', 'Thông tư sửa đổi, bổ sung một số điều của một số Thông tư về tổ chức tín dụng là hợp tác xã liên quan đến cắt giảm, phân cấp, đơn giản hóa thủ tục hành chính')],
    ),
    # toa-an-nhan-dan
    Expected(
        '3.000164',
        'toa-an-nhan-dan',
        channels=[('truc_tuyen', 1, None, 0), ('truc_tiep', 1, None, 0)],
        documents=[('Đăng ký nhận thông báo, văn bản tố tụng bằng phương tiện điện tử', 1, 0), ('Thông tin vụ/việc', 0, 0)],
        legal_bases=[('02/2012/NQ-HĐTP', 'Nghị quyết 02/2012/NQ-HĐTP'), ('110/2015/QH13', 'Nghị quyết 110/2015/QH13'), ('21/2014/L-CTN', 'Lệnh 21/2014/L-CTN'), ('56/2010/QH12', 'Nghị quyết 56/2010/QH12')],
    ),
    Expected(
        '3.000163',
        'toa-an-nhan-dan',
        channels=[('truc_tuyen', 1, None, 0), ('truc_tiep', 1, None, 0)],
        documents=[('Đơn khởi kiện', 1, 0), ('Tài liệu, chứng cứ kèm theo (nếu có)', 0, 1), ('Tài liệu, chứng cứ kèm theo (nếu có)', 1, 1)],
        legal_bases=[('02/2014/TTLT-TANDTC-VKSNDTC-BTP-BTC', 'Thông tư liên tịch 02/2014/TTLT-TANDTC-VKSNDTC-BTP-BTC'), ('110/2015/QH13', 'Nghị quyết 110/2015/QH13'), ('21/2014/L-CTN', 'Lệnh 21/2014/L-CTN'), ('56/2010/QH12', 'Nghị quyết 56/2010/QH12')],
    ),
    Expected(
        '3.000165',
        'toa-an-nhan-dan',
        channels=[('truc_tuyen', 1, None, 0), ('truc_tiep', 1, None, 0)],
        documents=[('Đơn đăng ký cấp sao tài liệu', 1, 0), ('Chứng minh nhân dân/Căn cước công dân', 0, 1)],
        legal_bases=[],
    ),
    # structured
    Expected(
        '3.000422',
        'bo-quoc-phong',
        channels=[('truc_tiep', None, None, 50000)],
        documents=[('03 phiếu đăng ký sơ tuyển theo quy định của Bộ Quốc phòng.', 1, 0), ('01 phiếu khám sức khoẻ.', 1, 0), ('01 bản thẩm tra, xác minh lý lịch.', 1, 0), ('01 giấy chứng nhận được hưởng ưu tiên đối với những thí sinh thuộc diện ưu tiên (nếu có).', 1, 0), ('04 ảnh chân dung cỡ 4 x 6cm theo quy định của Bộ Quốc phòng.', 1, 0)],
        legal_bases=[('43/2005/QH11', 'Sửa đổi bổ sung một số điều của Luật Nghĩa vụ quân sự'), ('19/2008/QH12', 'Sửa đổi, bổ sung một số điều của Luật Sĩ quan quân đội nhân dân Việt Nam'), ('38/2005/QH11', 'Luật Giáo dục'), ('48/2019/QH14', 'Luật dân quân tự vệ'), ('43/2019/QH14', 'Luật Giáo dục')],
    ),
    Expected(
        '1.013562',
        'bo-quoc-phong',
        channels=[('truc_tiep', 0, 'hours', (3, 'USD'))],
        documents=[('Đơn đề nghị đi bờ của thuyền viên (trường hợp chưa đăng ký tại Bản khai chung).', 1, 1)],
        legal_bases=[('77/2017/NĐ-CP', 'Nghị định 77/2017/NĐ-CP'), ('138/2016/TT-BTC', 'Thông tư 138/2016/TT-BTC')],
    ),
    Expected(
        '1.013145',
        'bo-quoc-phong',
        channels=[('truc_tiep', None, None, 0), ('truc_tuyen', None, None, 0), ('buu_chinh', None, None, 0)],
        documents=[('Bản khai cá nhân hoặc của thân nhân đối tượng; Bản khai thân nhân (đối với đối tượng đã từ trần) phải kèm theo giấy ủy quyền của các thân nhân chủ yếu khác, có xác nhận của chính quyền xã nơi cư trú', 1, 0)],
        legal_bases=[('191/2005/TTLT/BQP-BLĐTBXH-BTC', 'Hướng dẫn thực hiện Quyết định số 290/2005/QĐ-TTg ngày 08/11/2005 về chế độ, chính sách đối với một số đối tượng trực tiếp tham gia kháng chiến chống mỹ cứu nước nhưng chưa được hưởng chính sách của Đảng và Nhà nước'), ('104/2024/TT-BQP', 'Thông tư thay thế, bãi bỏ một số quy định, mẫu biểu tại các một số quy định, mẫu biểu tại các Thông tư liên tịch của Bộ Quốc phòng, Bộ Lao động - Thương binh và Xã hội, Bộ Tài chính liên quan đến việc kê khai thông tin cá nhân khi thực hiện thủ tục hành chính'), ('290/2005/QĐ-TTg', 'Quyết định số 290/2005/QĐ-TTg của Thủ tướng Chính phủ về chế độ, chính sách đối với một số đối tượng trực tiếp tham gia kháng chiến chống Mỹ cứu nước nhưng chưa được hưởng chính sách của Đảng và Nhà nước'), ('22/2025/QĐ-TTg', 'Quyết định số 22/2025/QĐ-TTg ngày 10/7/2025 của Thủ tướng Chính phủ sửa đổi, bổ sung một số điều của các Quyết định của Thủ tướng Chính phủ về chế độ, chính sách đối với đối tượng tham gia kháng chiến, chiến tranh bảo vệ Tổ quốc và làm nhiệm vụ quốc tế thuộc lĩnh vực quản lý nhà nước của Bộ Quốc phòng'), ('103/2025/TT-BQP', 'Thông tư số 103/2025/TT-BQP ngày 26/9/2025 của Bộ trưởng Bộ Quốc phòng sửa đổi, bổ sung một số điều của các Thông tư liên tịch, Thông tư, Quyết định của Bộ trưởng Bộ Quốc phòng về lĩnh vực chính sách')],
    ),
    Expected(
        '1.013518',
        'bo-quoc-phong',
        channels=[('truc_tiep', 1, 'hours', 0)],
        documents=[('Bản khai chung', 1, 0), ('Danh sách hành khách (nếu có).', 1, 0), ('Danh sách thuyền viên', 1, 0), ('Bản khai vũ khí và vật liệu nổ (nếu có).', 1, 0), ('Bản chính Giấy phép cho tàu cá đi khai thác thuỷ sản ở vùng biển ngoài vùng biển Việt Nam do Tổng cục Thủy sản Bộ Nông nghiệp và Phát triển nông thôn cấp', 1, 0), ('Hộ chiếu phổ thông và sổ thuyền viên tàu cá của thuyền viên', 1, 0)],
        templates=['Bnkhaichung.docx', 'Danhschhnhkhchnuc.docx', 'Danhschthuynvin.docx', 'BẢN KHAI VŨ KHÍ VÀ VẬT LIỆU NỔ.doc'],
        legal_bases=[('58/2017/NĐ-CP', 'Quy định chi tiết một số điều của Bộ luật Hàng hải Việt Nam về quản lý hoạt động hàng hải'), ('47/2014/QH13', 'Luật nhập cảnh, xuất cảnh, quá cảnh, cư trsu của người nước ngoài tại Việt Nam'), ('26/2019/NĐ-CP', 'Nghị định'), ('77/2017/NĐ-CP', 'Quy định về quản lý, bảo an ninh, trật tự tại cửa khẩu cảng'), ('23/2023/QH15', 'Luật Xuất cảnh, nhập cảnh của công dân Việt Nam và Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam sửa đổi 2023')],
    ),
    Expected(
        '2.002760',
        'bo-quoc-phong',
        channels=[('truc_tiep', 10, 'days', 0), ('truc_tiep', 30, 'days', 0), ('buu_chinh', 10, 'days', 0), ('buu_chinh', 30, 'days', 0)],
        documents=[('1. Đơn đề nghị.', 1, 0), ('Văn bản đề nghị theo quy định (đối với trường hợp chưa đủ căn cứ cấp phiếu xác minh))', 1, 0)],
        legal_bases=[('131/2021/NĐ-CP', 'Nghị định 131/2021/NĐ-CP'), ('55/2022/TT-BQP', 'Thông tư 55/2022/TT-BQP'), ('02/2020/UBTVQH14', 'Pháp lệnh 02/2020/UBTVQH14'), ('103/2025/TT-BQP', 'Thông tư số 103/2025/TT-BQP ngày 26/9/2025 của Bộ trưởng Bộ Quốc phòng sửa đổi, bổ sung một số điều của các Thông tư liên tịch, Thông tư, Quyết định của Bộ trưởng Bộ Quốc phòng về lĩnh vực chính sách')],
    ),
    Expected(
        '1.013124',
        'bo-quoc-phong',
        channels=[('truc_tiep', 30, 'working_days', 0), ('truc_tuyen', 30, 'working_days', 0), ('buu_chinh', 30, 'working_days', 0)],
        documents=[('Văn bản đề nghị thẩm định và phê duyệt kế hoạch ứng phó sự cố tràn dầu.', 1, 0), ('Kế hoạch ứng phó sự cố tràn dầu theo mẫu quy định tại Phụ lục II ban hành kèm theo Quyết định số 12/2021/QĐ-TTg ngày 24/3/2021 của Thủ tướng Chính phủ', 1, 0)],
        templates=['5-PHLCII.doc'],
        legal_bases=[('12', 'Quyết định số 12/2021/QĐ-TTg ngày 24/3/2021 của Thủ tướng Chính phủ ban hành Quy chế hoạt động ứng phó với sự cố tràn dầu')],
    ),
]
# fmt: on


def load(session: Session, code: str) -> Procedure:
    procedure = procedure_with_details(session, code)
    assert procedure is not None, code
    return procedure


def fee_of(channel: Any) -> Fee:
    if channel.fee_currency not in (None, "VND"):
        return (channel.fee_amount, channel.fee_currency)
    return channel.fee_amount_vnd


def test_every_ministry_is_covered() -> None:
    per_ministry = Counter(item.ministry for item in EXPECTED)
    assert len(EXPECTED) >= 40
    assert len({item.code for item in EXPECTED}) == len(EXPECTED)
    assert set(per_ministry) == {
        "bo-tai-chinh",
        "bo-nong-nghiep-mt",
        "bo-xay-dung",
        "bo-cong-an",
        "bo-tu-phap",
        "ngan-hang-nha-nuoc",
        "toa-an-nhan-dan",
        "bo-quoc-phong",  # procedures_structured.jsonl
    }
    assert min(count for ministry, count in per_ministry.items() if ministry != "toa-an-nhan-dan") >= 5


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda item: item.code)
def test_record_matches_its_published_text(seeded_session: Session, expected: Expected) -> None:
    procedure = load(seeded_session, expected.code)
    assert procedure.ministry == expected.ministry
    assert [
        (c.channel, c.time_value, c.time_unit, fee_of(c)) for c in procedure.channels
    ] == expected.channels
    assert [(d.name, d.originals, d.copies) for d in procedure.documents] == expected.documents
    assert [
        d.template for d in procedure.documents if d.template
    ] == expected.templates or not expected.templates
    assert [(b.code, b.title) for b in procedure.legal_bases] == expected.legal_bases


def test_birth_registration(seeded_session: Session) -> None:
    """1.001193 "Thủ tục đăng ký khai sinh": three tables (phải nộp, phải xuất trình, lưu ý)."""
    procedure = load(seeded_session, "1.001193")
    assert procedure.levels == ("Cấp xã",)
    assert [(c.channel, c.time_value, c.time_unit, fee_of(c)) for c in procedure.channels] == [
        ("truc_tuyen", 1, None, 0),
        ("buu_chinh", 1, None, 0),
        ("truc_tiep", 1, None, 0),
    ]
    groups = Counter(d.group for d in procedure.documents)
    assert groups == {"submit": 8, "present": 6, "other": 19}
    submitted = [(d.name, d.originals, d.copies) for d in procedure.documents if d.group == "submit"]
    assert submitted[-2:] == [
        (
            "Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính)",
            1,
            0,
        ),
        (
            "Mẫu hộ tịch điện tử tương tác đăng ký khai sinh (do người yêu cầu cung cấp thông tin theo hướng dẫn trên Cổng dịch vụ công, nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tuyến)",
            1,
            0,
        ),
    ]
    assert [b.code for b in procedure.legal_bases][:4] == [
        "85/2019/TT-BTC",
        "104/2022/NĐ-CP",
        "123/2015/NĐ-CP",
        "08/2025/TT-BTP",
    ]
    assert len(procedure.legal_bases) == 15
    assert procedure.steps[0].startswith(
        "Nếu lựa chọn hình thức nộp hồ sơ trực tiếp, người yêu cầu đăng ký khai sinh"
    )
